package org.mailwarden.store;

import java.util.Objects;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.jdbc.JdbcStore;

/**
 * Opens the {@link Store} that a {@link StorageConfig} describes: SQLite in {@code <dataDir>/mailwarden.db}
 * with message bodies in {@code <dataDir>/blobs/}, or PostgreSQL at the configured JDBC URL. The schema is
 * created or migrated on open, so the server and the CLI can both be the first to touch a fresh store.
 */
public final class Stores {

    private Stores() {
    }

    /**
     * @throws StoreException UNAVAILABLE when the database cannot be opened or migrated, INVALID when the
     *                        configuration lacks what the backend needs
     */
    public static Store open(StorageConfig config) {
        Objects.requireNonNull(config, "config");
        return switch (config.backend()) {
            case SQLITE -> {
                if (config.dataDir() == null) {
                    throw new StoreException(StoreException.Kind.INVALID,
                            "storage backend sqlite needs a data directory (data_dir in the config file)");
                }
                yield JdbcStore.sqlite(config.dataDir());
            }
            case POSTGRESQL -> {
                if (config.url() == null || config.url().isBlank()) {
                    throw new StoreException(StoreException.Kind.INVALID,
                            "storage backend postgresql needs a JDBC url, such as "
                                    + "url = \"jdbc:postgresql://db.example.test:5432/mailwarden\" in [storage]");
                }
                yield JdbcStore.postgresql(config.url(), config.user(), config.password());
            }
        };
    }
}
