package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.mailwarden.store.StoreException;

/**
 * Brings the schema up to date with Flyway (which handles SQLite and PostgreSQL alike) from the
 * versioned scripts in {@code db/sqlite} and {@code db/postgresql}. On PostgreSQL Flyway's own lock
 * keeps cluster nodes from migrating at once; on SQLite an OS file lock does the same for the server
 * and a CLI process starting together.
 */
final class Migrations {

    private Migrations() {
    }

    static void run(Database db) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .locations("classpath:" + db.dialect().migrations())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot bring the database schema up to date: " + e.getMessage(), e);
        }
    }

    /** Runs the migrations while holding an exclusive lock on {@code lockFile}. */
    static void runLocked(Database db, Path lockFile) {
        synchronized (Migrations.class) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    run(db);
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw Database.translate(e);
            }
        }
    }
}
