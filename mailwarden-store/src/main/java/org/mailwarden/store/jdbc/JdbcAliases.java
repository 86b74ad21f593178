package org.mailwarden.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.mailwarden.store.Aliases;

/** {@link Aliases} on the {@code alias} table: one row per (alias address, account) pair. */
final class JdbcAliases implements Aliases {

    private static final String SELECT = "SELECT al.local_part, d.name, al.account_id, ac.local_part, ad.name "
            + "FROM alias al JOIN domain d ON d.id = al.domain_id "
            + "JOIN account ac ON ac.id = al.account_id JOIN domain ad ON ad.id = ac.domain_id ";

    private final Database db;

    JdbcAliases(Database db) {
        this.db = db;
    }

    @Override
    public Alias add(String localPart, String domain, long accountId) {
        String local = Names.localPart(localPart);
        String dom = Names.domain(domain);
        String address = local + "@" + dom;
        return db.adminWrite(c -> {
            long domainId = JdbcDomains.idOf(c, dom);
            String target = Sql.one(c, "SELECT ac.local_part, d.name FROM account ac JOIN domain d ON d.id = ac.domain_id "
                            + "WHERE ac.id = ?", rs -> rs.getString(1) + "@" + rs.getString(2), accountId)
                    .orElseThrow(() -> Names.notFound("account " + accountId + " does not exist"));
            if (Sql.exists(c, "SELECT 1 FROM account WHERE domain_id = ? AND local_key = ?", domainId, Names.key(local))) {
                throw Names.duplicate(address + " is an account; an alias cannot have the same address");
            }
            if (Sql.exists(c, "SELECT 1 FROM alias WHERE domain_id = ? AND local_key = ? AND account_id = ?",
                    domainId, Names.key(local), accountId)) {
                throw Names.duplicate("alias " + address + " already delivers to " + target);
            }
            Sql.update(c, "INSERT INTO alias (domain_id, local_part, local_key, account_id) VALUES (?, ?, ?, ?)",
                    domainId, local, Names.key(local), accountId);
            return new Alias(local, dom, accountId, target);
        });
    }

    @Override
    public void remove(String localPart, String domain, Long accountId) {
        String dom = Names.domain(domain);
        String address = localPart + "@" + dom;
        db.adminWrite(c -> {
            long domainId = JdbcDomains.idOf(c, dom);
            int removed = accountId == null
                    ? Sql.update(c, "DELETE FROM alias WHERE domain_id = ? AND local_key = ?", domainId, Names.key(localPart))
                    : Sql.update(c, "DELETE FROM alias WHERE domain_id = ? AND local_key = ? AND account_id = ?",
                            domainId, Names.key(localPart), accountId);
            if (removed == 0) {
                throw Names.notFound(accountId == null
                        ? "alias " + address + " does not exist"
                        : "alias " + address + " does not deliver to account " + accountId);
            }
            return removed;
        });
    }

    @Override
    public List<Alias> resolve(String localPart, String domain) {
        if (localPart == null || domain == null) {
            return List.of();
        }
        return db.read(c -> Sql.list(c, SELECT + "WHERE d.name = ? AND al.local_key = ? ORDER BY al.account_id",
                JdbcAliases::row, Names.key(domain.strip()), Names.key(localPart)));
    }

    @Override
    public List<Alias> forAccount(long accountId) {
        return db.read(c -> Sql.list(c, SELECT + "WHERE al.account_id = ? ORDER BY d.name, al.local_key",
                JdbcAliases::row, accountId));
    }

    @Override
    public List<Alias> list() {
        return db.read(c -> Sql.list(c, SELECT + "ORDER BY d.name, al.local_key, al.account_id", JdbcAliases::row));
    }

    private static Alias row(ResultSet rs) throws SQLException {
        return new Alias(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4) + "@" + rs.getString(5));
    }
}
