package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * A running IMAP server on a fresh SQLite store with the account alice@example.test, plaintext logins
 * allowed (TLS has its own tests), and helpers to open logged-in raw sessions.
 */
abstract class ImapServerTestBase {

    @TempDir
    Path dir;

    ImapTestServer server;
    Accounts.Account alice;

    /** The store under test; PostgreSQL variants override it. */
    Store openStore() {
        return TestStores.sqlite(dir.resolve("data"));
    }

    @BeforeEach
    void startServer() throws Exception {
        server = ImapTestServer.start(openStore(), dir);
        alice = server.addAccount("alice", "example.test");
        server.allowPlaintext();
    }

    @AfterEach
    void stopServer() {
        server.close();
        server.store().close();
    }

    /** A session logged in as alice. */
    ImapWire session() throws IOException {
        ImapWire wire = ImapWire.connect(server.imapPort());
        assertThat(wire.read()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2");
        wire.login("alice@example.test", ImapTestServer.PASSWORD);
        return wire;
    }

    /** A logged-in session with {@code mailbox} selected. */
    ImapWire selected(String mailbox) throws IOException {
        ImapWire wire = session();
        assertOk(wire.command("SELECT " + mailbox));
        return wire;
    }

    static List<String> assertOk(List<String> responses) {
        assertThat(responses.getLast()).as(String.join("\n", responses)).matches("^\\S+ OK.*");
        return responses;
    }

    /** The responses without the tagged completion. */
    static List<String> untagged(List<String> responses) {
        return responses.subList(0, responses.size() - 1);
    }

    long deliver(String message) {
        return server.deliver(alice.id(), message);
    }
}
