package org.mailwarden.core.config;

import java.nio.file.Path;

/**
 * Where the store lives: the embedded SQLite database and blob segments under {@code dataDir}, or a
 * PostgreSQL database at {@code url} (message bodies then live in the database too, so every node of a
 * cluster sees them).
 */
public record StorageConfig(Backend backend, Path dataDir, String url, String user, String password) {

    public enum Backend { SQLITE, POSTGRESQL }

    public static StorageConfig sqlite(Path dataDir) {
        return new StorageConfig(Backend.SQLITE, dataDir, null, null, null);
    }

    public static StorageConfig postgresql(Path dataDir, String url, String user, String password) {
        return new StorageConfig(Backend.POSTGRESQL, dataDir, url, user, password);
    }
}
