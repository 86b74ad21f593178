package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * A running IMAP server on a real store, shared by the tests of a class (starting one costs a second),
 * with plaintext logins allowed (TLS has its own tests). Each test gets a fresh account, so tests do not
 * see each other's mailboxes; helpers open logged-in raw sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImapServerTestBase {

    private static final AtomicInteger USERS = new AtomicInteger();

    Path dir;

    ImapTestServer server;
    Accounts.Account alice;
    String login;

    /** The store under test; PostgreSQL variants override it. */
    Store openStore() {
        return TestStores.sqlite(dir.resolve("data"));
    }

    /** Settings to set before the server starts (read once at start). */
    void configure(Store store) {
        store.settings().set("imap.allow_plaintext", "on");
    }

    @BeforeAll
    void startServer() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("imap-test");
        Store store = openStore();
        configure(store);
        server = ImapTestServer.start(store, dir);
    }

    @BeforeEach
    void freshAccount() {
        String user = "user" + USERS.incrementAndGet();
        alice = server.addAccount(user, "example.test");
        login = user + "@example.test";
    }

    @AfterAll
    void stopServer() throws IOException {
        server.close();
        server.store().close();
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A session logged in as this test's account. */
    ImapWire session() throws IOException {
        ImapWire wire = ImapWire.connect(server.imapPort());
        assertThat(wire.read()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2");
        wire.login(login, ImapTestServer.PASSWORD);
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
