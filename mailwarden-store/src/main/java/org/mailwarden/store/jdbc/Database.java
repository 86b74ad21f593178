package org.mailwarden.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.mailwarden.store.StoreException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pooled connection to the store's database with the two ways the rest of the code uses it: a read
 * on an auto-commit connection, and a short write transaction that commits or rolls back as a whole.
 * It turns {@link SQLException}s into {@link StoreException}s (DUPLICATE, DISK_FULL or UNAVAILABLE) so
 * that no caller sees JDBC. Administrative writes also bump the change counter in the same transaction.
 */
final class Database implements AutoCloseable {

    /** A unit of database work. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** How long a SQLite writer waits for another process's write transaction before giving up. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final ReentrantLock writeLock = new ReentrantLock();

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * SQLite in WAL mode with synchronous=FULL, so a committed transaction is on disk (NORMAL would flush
     * the WAL only at checkpoints: not durable at commit). Automatic checkpoints are off: the store runs
     * them on a thread of their own ({@link WalCheckpointer}).
     */
    static Database sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setPoolName("mailwarden-sqlite");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        return open(hikari, Dialect.SQLITE, "SQLite database " + file);
    }

    static Database postgresql(String url, String user, String password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setPoolName("mailwarden-postgresql");
        hikari.setMaximumPoolSize(10);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        return open(hikari, Dialect.POSTGRESQL, "PostgreSQL at " + url);
    }

    private static Database open(HikariConfig config, Dialect dialect, String where) {
        try {
            return new Database(new HikariDataSource(config), dialect);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot open " + where + ": " + cause.getMessage(), e);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} on an auto-commit connection. */
    <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} in one write transaction: all of it commits, or none of it. */
    <T> T write(Work<T> work) {
        boolean serialise = dialect.serialisesWrites();
        if (serialise) {
            writeLock.lock();
        }
        try (Connection c = pool.getConnection()) {
            dialect.begin(c);
            try {
                T result = work.run(c);
                dialect.commit(c);
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            if (serialise) {
                writeLock.unlock();
            }
        }
    }

    /** A write that changes administrative state: also bumps the change counter, in the same transaction. */
    <T> T adminWrite(Work<T> work) {
        return write(c -> {
            T result = work.run(c);
            Sql.update(c, "UPDATE counter SET value = value + 1 WHERE name = 'changes'");
            return result;
        });
    }

    private void rollbackQuietly(Connection c, Exception cause) {
        try {
            dialect.rollback(c);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            // A connection whose transaction state is unknown must not go back into the pool.
            pool.evictConnection(c);
        }
    }

    StoreException translate(SQLException e) {
        if (dialect.isDiskFull(e)) {
            return new StoreException(StoreException.Kind.DISK_FULL, "the disk is full: " + e.getMessage(), e);
        }
        if (dialect.isUniqueViolation(e)) {
            return new StoreException(StoreException.Kind.DUPLICATE, "already exists: " + e.getMessage(), e);
        }
        return new StoreException(StoreException.Kind.UNAVAILABLE, "database error: " + e.getMessage(), e);
    }

    static StoreException translate(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return new StoreException(StoreException.Kind.DISK_FULL, "the disk is full: " + message, e);
        }
        return new StoreException(StoreException.Kind.UNAVAILABLE, "I/O error: " + message, e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
