package org.mailwarden.store.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The queue contract on SQLite. */
class SqliteQueueTest extends QueueContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return TestStores.sqlite(dataDir);
    }
}
