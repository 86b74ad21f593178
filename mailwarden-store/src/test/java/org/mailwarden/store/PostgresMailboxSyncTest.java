package org.mailwarden.store;

import org.mailwarden.store.testing.TestStores;

/** The mailbox synchronisation contract on PostgreSQL (embedded, a fresh database per test). */
class PostgresMailboxSyncTest extends MailboxSyncContractTest {

    @Override
    protected Store openStore() {
        return TestStores.postgresql();
    }
}
