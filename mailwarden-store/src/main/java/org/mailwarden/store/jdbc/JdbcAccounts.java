package org.mailwarden.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.mailwarden.store.Accounts;

/**
 * {@link Accounts} on the {@code account} table. Local parts are unique per domain case-insensitively
 * through {@code local_key}; an account and an alias never share an address. Creating an account
 * creates its default mailboxes in the same transaction.
 */
final class JdbcAccounts implements Accounts {

    private static final String SELECT = "SELECT a.id, a.domain_id, a.local_part, d.name, a.password_hash, "
            + "a.scram_sha256, a.enabled FROM account a JOIN domain d ON d.id = a.domain_id ";

    /** The {@code setting} row that holds {@link #standInSecret()}, base64. */
    static final String STAND_IN_SECRET = "auth.stand_in_secret";

    private final Database db;
    private volatile byte[] standInSecret;

    JdbcAccounts(Database db) {
        this.db = db;
    }

    /** The id of account {@code localPart@domain}, or NOT_FOUND. */
    static long idOf(Connection c, String localPart, String domain) throws SQLException {
        return Sql.one(c, "SELECT a.id FROM account a JOIN domain d ON d.id = a.domain_id "
                        + "WHERE d.name = ? AND a.local_key = ?", rs -> rs.getLong(1), domain, Names.key(localPart))
                .orElseThrow(() -> Names.notFound("account " + localPart + "@" + domain + " does not exist"));
    }

    @Override
    public Account add(String localPart, String domain, String passwordHash, String scramSha256) {
        String local = Names.localPart(localPart);
        String dom = Names.domain(domain);
        if (passwordHash == null || passwordHash.isEmpty()) {
            throw Names.invalid("account " + local + "@" + dom + " needs a password hash");
        }
        return db.adminWrite(c -> {
            long domainId = JdbcDomains.idOf(c, dom);
            if (Sql.exists(c, "SELECT 1 FROM account WHERE domain_id = ? AND local_key = ?", domainId, Names.key(local))) {
                throw Names.duplicate("account " + local + "@" + dom + " already exists");
            }
            if (Sql.exists(c, "SELECT 1 FROM alias WHERE domain_id = ? AND local_key = ?", domainId, Names.key(local))) {
                throw Names.duplicate(local + "@" + dom + " is already an alias; remove the alias first");
            }
            long id = Sql.number(c, "INSERT INTO account (domain_id, local_part, local_key, password_hash, "
                            + "scram_sha256, enabled) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    domainId, local, Names.key(local), passwordHash, scramSha256, true);
            MailboxRows.insertDefaults(c, id);
            return new Account(id, domainId, local, dom, passwordHash, scramSha256, true);
        });
    }

    @Override
    public void remove(String localPart, String domain) {
        String dom = Names.domain(domain);
        db.adminWrite(c -> {
            long id = idOf(c, localPart, dom);
            List<Long> blobs = MailboxRows.blobsWhere(c,
                    "mailbox_id IN (SELECT id FROM mailbox WHERE account_id = ?)", id);
            // Mailboxes, their messages and the account's aliases go with it (ON DELETE CASCADE).
            Sql.update(c, "DELETE FROM account WHERE id = ?", id);
            MailboxRows.reclaimBlobs(c, blobs);
            return null;
        });
    }

    @Override
    public void setPassword(String localPart, String domain, String passwordHash, String scramSha256) {
        String dom = Names.domain(domain);
        if (passwordHash == null || passwordHash.isEmpty()) {
            throw Names.invalid("account " + localPart + "@" + dom + " needs a password hash");
        }
        db.adminWrite(c -> Sql.update(c, "UPDATE account SET password_hash = ?, scram_sha256 = ? WHERE id = ?",
                passwordHash, scramSha256, idOf(c, localPart, dom)));
    }

    @Override
    public void setEnabled(String localPart, String domain, boolean enabled) {
        String dom = Names.domain(domain);
        db.adminWrite(c -> Sql.update(c, "UPDATE account SET enabled = ? WHERE id = ?",
                enabled, idOf(c, localPart, dom)));
    }

    @Override
    public Optional<Account> find(String localPart, String domain) {
        if (localPart == null || domain == null) {
            return Optional.empty();
        }
        String dom = Names.key(domain.strip());
        return db.read(c -> Sql.one(c, SELECT + "WHERE d.name = ? AND a.local_key = ?", JdbcAccounts::row,
                dom, Names.key(localPart)));
    }

    @Override
    public Optional<Account> findById(long id) {
        return db.read(c -> Sql.one(c, SELECT + "WHERE a.id = ?", JdbcAccounts::row, id));
    }

    @Override
    public List<Account> list(String domain) {
        if (domain == null) {
            return db.read(c -> Sql.list(c, SELECT + "ORDER BY d.name, a.local_key", JdbcAccounts::row));
        }
        String dom = Names.domain(domain);
        return db.read(c -> {
            long domainId = JdbcDomains.idOf(c, dom);
            return Sql.list(c, SELECT + "WHERE a.domain_id = ? ORDER BY a.local_key", JdbcAccounts::row, domainId);
        });
    }

    @Override
    public Optional<Credentials> byAddress(String localPart, String domain) {
        return find(localPart, domain).map(JdbcAccounts::credentials);
    }

    @Override
    public Optional<String> domainForShortName(String shortName) {
        if (shortName == null || shortName.isBlank()) {
            return Optional.empty();
        }
        return db.read(c -> Sql.one(c, "SELECT name FROM domain WHERE short_key = ?", rs -> rs.getString(1),
                Names.key(shortName.strip())));
    }

    @Override
    public List<Credentials> byLocalPart(String localPart) {
        if (localPart == null) {
            return List.of();
        }
        return db.read(c -> Sql.list(c, SELECT + "WHERE a.local_key = ? ORDER BY d.name", JdbcAccounts::row,
                Names.key(localPart))).stream().map(JdbcAccounts::credentials).toList();
    }

    @Override
    public Optional<String> onlyDomain() {
        List<String> names = db.read(c -> Sql.list(c, "SELECT name FROM domain ORDER BY id LIMIT 2", rs -> rs.getString(1)));
        return names.size() == 1 ? Optional.of(names.getFirst()) : Optional.empty();
    }

    /** Created by whichever process asks first; a second process racing it keeps the first one's value. */
    @Override
    public byte[] standInSecret() {
        byte[] secret = standInSecret;
        if (secret == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            String stored = db.adminWrite(c -> {
                Sql.update(c, "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                        STAND_IN_SECRET, Base64.getEncoder().encodeToString(fresh));
                return Sql.one(c, "SELECT value FROM setting WHERE name = ?", rs -> rs.getString(1), STAND_IN_SECRET).orElseThrow();
            });
            secret = sha256(stored); // any text an administrator may have put there is a usable secret

            standInSecret = secret;
        }
        return secret.clone();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Credentials credentials(Account a) {
        return new Credentials(a.id(), a.address(), a.passwordHash(), a.scramSha256(), a.enabled());
    }

    private static Account row(ResultSet rs) throws SQLException {
        return new Account(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7));
    }
}
