package org.mailwarden.pop3;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * A POP3 server on a fresh SQLite store for one real-client test: alice@example.test (login
 * {@code EXAMPLE\alice}, password {@code alice-secret}) holds the test's {@link #messages()}; a work
 * directory is there for the client's files. The client tests differ only in the client they run.
 */
abstract class Pop3ClientTestBase {

    @TempDir
    Path dataDir;
    @TempDir
    Path workDir;

    Store store;
    Pop3TestServer server;
    Accounts.Account alice;

    /** What alice's INBOX holds when the test starts, oldest first. */
    abstract List<String> messages();

    @BeforeEach
    void startServer() throws Exception {
        store = TestStores.sqlite(dataDir);
        server = Pop3TestServer.start(store, dataDir);
        alice = server.addAccount("alice", "example.test", "EXAMPLE", "alice-secret");
        for (String message : messages()) {
            server.deliver(alice.id(), message);
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        store.close();
    }
}
