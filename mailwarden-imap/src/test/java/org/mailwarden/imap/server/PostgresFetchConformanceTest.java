package org.mailwarden.imap.server;

import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The FETCH conformance tests on the PostgreSQL store (bodies in database chunks). */
class PostgresFetchConformanceTest extends FetchConformanceTest {

    @Override
    Store openStore() {
        return TestStores.postgresql();
    }
}
