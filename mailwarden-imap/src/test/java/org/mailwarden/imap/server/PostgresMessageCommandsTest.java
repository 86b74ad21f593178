package org.mailwarden.imap.server;

import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** STORE, COPY, MOVE, EXPUNGE, APPEND and CONDSTORE/QRESYNC on the PostgreSQL store. */
class PostgresMessageCommandsTest extends MessageCommandsTest {

    @Override
    Store openStore() {
        return TestStores.postgresql();
    }
}
