package org.mailwarden.store.jdbc;

import java.time.Duration;
import org.mailwarden.store.Locks;

/**
 * {@link Locks} as leases in the {@code lease} table: one row per lock name with its holder and expiry.
 * Taking a lease is a single upsert that only overwrites an expired row (or the holder's own), so two
 * processes or nodes can never both win. Expiry is judged by the database clock, one clock for all nodes.
 */
final class JdbcLocks implements Locks {

    private final Database db;
    private final String now;

    JdbcLocks(Database db) {
        this.db = db;
        this.now = db.dialect().nowMillis();
    }

    @Override
    public boolean tryAcquire(String name, String holder, Duration ttl) {
        long ms = ttlMillis(ttl);
        return db.write(c -> Sql.update(c, "INSERT INTO lease (name, holder, expires) VALUES (?, ?, " + now + " + ?) "
                + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires "
                + "WHERE lease.expires <= " + now + " OR lease.holder = excluded.holder", name, holder, ms) == 1);
    }

    @Override
    public boolean renew(String name, String holder, Duration ttl) {
        long ms = ttlMillis(ttl);
        return db.write(c -> Sql.update(c, "UPDATE lease SET expires = " + now + " + ? "
                + "WHERE name = ? AND holder = ? AND expires > " + now, ms, name, holder) == 1);
    }

    @Override
    public void release(String name, String holder) {
        db.write(c -> Sql.update(c, "DELETE FROM lease WHERE name = ? AND holder = ?", name, holder));
    }

    private static long ttlMillis(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw Names.invalid("a lease needs a positive duration");
        }
        return ttl.toMillis();
    }
}
