package org.mailwarden.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.testing.TestStores;

/** The mailbox synchronisation contract on SQLite with blob segments. */
class SqliteMailboxSyncTest extends MailboxSyncContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return TestStores.sqlite(dataDir);
    }
}
