package org.mailwarden.store;

import org.mailwarden.store.testing.TestStores;

/** The store contract on PostgreSQL (embedded, a fresh database per test). */
class PostgresStoreTest extends StoreContractTest {

    @Override
    protected Store openStore() {
        return TestStores.postgresql();
    }
}
