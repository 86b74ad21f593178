package org.mailwarden.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.testing.TestStores;

/** The store contract on SQLite with blob segments. */
class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return TestStores.sqlite(dataDir);
    }
}
