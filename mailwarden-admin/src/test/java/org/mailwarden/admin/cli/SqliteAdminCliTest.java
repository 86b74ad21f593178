package org.mailwarden.admin.cli;

import java.nio.file.Path;

/** The admin CLI on the embedded default store, SQLite in a data directory. */
class SqliteAdminCliTest extends AdminCliContractTest {

    @Override
    String storageToml(Path dir) {
        return "data_dir = \"" + dir.resolve("data").toString().replace("\\", "\\\\") + "\"\n";
    }
}
