package org.mailwarden.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.mailwarden.store.Domains;

/** {@link Domains} on the {@code domain} table; short names are unique case-insensitively through {@code short_key}. */
final class JdbcDomains implements Domains {

    private static final String SELECT = "SELECT id, name, short_name FROM domain ";

    private final Database db;

    JdbcDomains(Database db) {
        this.db = db;
    }

    /** The id of a local domain, or NOT_FOUND with the sentence an administrator should read. */
    static long idOf(Connection c, String domain) throws SQLException {
        return Sql.one(c, "SELECT id FROM domain WHERE name = ?", rs -> rs.getLong(1), domain)
                .orElseThrow(() -> Names.notFound("domain " + domain + " does not exist"));
    }

    @Override
    public Domain add(String name, String shortName) {
        String domain = Names.domain(name);
        String shortForm = Names.shortName(shortName);
        return db.adminWrite(c -> {
            if (Sql.exists(c, "SELECT 1 FROM domain WHERE name = ?", domain)) {
                throw Names.duplicate("domain " + domain + " already exists");
            }
            checkShortNameFree(c, shortForm, domain);
            long id = Sql.number(c, "INSERT INTO domain (name, short_name, short_key) VALUES (?, ?, ?) RETURNING id",
                    domain, shortForm, shortForm == null ? null : Names.key(shortForm));
            return new Domain(id, domain, shortForm);
        });
    }

    @Override
    public void remove(String name) {
        String domain = Names.domain(name);
        db.adminWrite(c -> {
            long id = idOf(c, domain);
            long accounts = Sql.number(c, "SELECT COUNT(*) FROM account WHERE domain_id = ?", id);
            long aliases = Sql.number(c, "SELECT COUNT(*) FROM alias WHERE domain_id = ?", id);
            if (accounts > 0 || aliases > 0) {
                throw Names.invalid("domain " + domain + " still has " + accounts + " account(s) and " + aliases
                        + " alias(es); remove them first");
            }
            return Sql.update(c, "DELETE FROM domain WHERE id = ?", id);
        });
    }

    @Override
    public void setShortName(String name, String shortName) {
        String domain = Names.domain(name);
        String shortForm = Names.shortName(shortName);
        db.adminWrite(c -> {
            long id = idOf(c, domain);
            checkShortNameFree(c, shortForm, domain);
            return Sql.update(c, "UPDATE domain SET short_name = ?, short_key = ? WHERE id = ?",
                    shortForm, shortForm == null ? null : Names.key(shortForm), id);
        });
    }

    private static void checkShortNameFree(Connection c, String shortForm, String domain) throws SQLException {
        if (shortForm == null) {
            return;
        }
        Optional<String> owner = Sql.one(c, "SELECT name FROM domain WHERE short_key = ? AND name <> ?",
                rs -> rs.getString(1), Names.key(shortForm), domain);
        if (owner.isPresent()) {
            throw Names.duplicate("short name " + shortForm + " is already used by domain " + owner.get());
        }
    }

    @Override
    public Optional<Domain> find(String name) {
        String domain = Names.domain(name);
        return db.read(c -> Sql.one(c, SELECT + "WHERE name = ?", JdbcDomains::row, domain));
    }

    @Override
    public Optional<Domain> findByShortName(String shortName) {
        if (shortName == null || shortName.isBlank()) {
            return Optional.empty();
        }
        return db.read(c -> Sql.one(c, SELECT + "WHERE short_key = ?", JdbcDomains::row, Names.key(shortName.strip())));
    }

    @Override
    public List<Domain> list() {
        return db.read(c -> Sql.list(c, SELECT + "ORDER BY name", JdbcDomains::row));
    }

    private static Domain row(ResultSet rs) throws SQLException {
        return new Domain(rs.getLong(1), rs.getString(2), rs.getString(3));
    }
}
