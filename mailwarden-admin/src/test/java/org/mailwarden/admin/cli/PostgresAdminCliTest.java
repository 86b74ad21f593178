package org.mailwarden.admin.cli;

import java.nio.file.Path;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.testing.TestStores;

/** The admin CLI on PostgreSQL (embedded, a fresh database per test), as a cluster would use it. */
class PostgresAdminCliTest extends AdminCliContractTest {

    @Override
    String storageToml(Path dir) {
        StorageConfig pg = TestStores.postgresqlConfig();
        return """
                data_dir = "%s"
                [storage]
                backend = "postgresql"
                url = "%s"
                user = "%s"
                password = "%s"
                """.formatted(dir.resolve("data"), pg.url(), pg.user(), pg.password());
    }
}
