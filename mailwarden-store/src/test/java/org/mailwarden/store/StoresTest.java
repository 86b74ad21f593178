package org.mailwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;

/** Opening stores: what a wrong configuration says, and what a fresh SQLite data directory looks like. */
class StoresTest {

    @TempDir
    Path dataDir;

    private static void assertKind(Throwable e, StoreException.Kind kind) {
        assertThat(e).isInstanceOf(StoreException.class);
        assertThat(((StoreException) e).kind()).isEqualTo(kind);
    }

    @Test
    void postgresqlWithoutAUrlIsAConfigurationError() {
        assertThatThrownBy(() -> Stores.open(StorageConfig.postgresql(null, null, "u", "p")))
                .satisfies(e -> assertKind(e, StoreException.Kind.INVALID))
                .hasMessageContaining("needs a JDBC url");
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        assertThatThrownBy(() -> Stores.open(StorageConfig.postgresql(null, "jdbc:postgresql://127.0.0.1:1/mailwarden", "u", "p")))
                .satisfies(e -> assertKind(e, StoreException.Kind.UNAVAILABLE))
                .hasMessageContaining("cannot open PostgreSQL at jdbc:postgresql://127.0.0.1:1/mailwarden");
    }

    @Test
    void sqliteWithoutADataDirectoryIsAConfigurationError() {
        assertThatThrownBy(() -> Stores.open(StorageConfig.sqlite(null)))
                .satisfies(e -> assertKind(e, StoreException.Kind.INVALID))
                .hasMessageContaining("needs a data directory");
    }

    @Test
    void aFreshDataDirectoryGetsAMigratedWalDatabase() throws Exception {
        Path dir = dataDir.resolve("new/data");
        Stores.open(StorageConfig.sqlite(dir)).close();
        Stores.open(StorageConfig.sqlite(dir)).close();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mailwarden.db"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
                    + "ORDER BY installed_rank")) {
                java.util.List<String> versions = new java.util.ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getString(1));
                    assertThat(rs.getBoolean(2)).isTrue();
                }
                assertThat(versions).as("each migration runs once, in order").containsExactly("1", "2", "3", "4");
            }
        }
        assertThat(dir.resolve("blobs")).isDirectory();
    }
}
