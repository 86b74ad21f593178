package org.mailwarden.admin.web;

import java.nio.file.Path;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The REST API contract on the cluster store, a real (embedded) PostgreSQL. */
class PostgresRestApiTest extends RestApiContractTest {

    @Override
    Store openStore(Path dir) {
        return TestStores.postgresql();
    }
}
