package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestStores;

/**
 * Two server nodes on one PostgreSQL database, as a cluster runs: a session on one node sees what a
 * session on the other changes, and IDLE on one node reports within a second a message delivered
 * through the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClusterTest {

    private Path dir;
    private Store storeA;
    private Store storeB;
    private ImapTestServer nodeA;
    private ImapTestServer nodeB;
    private Accounts.Account account;

    @BeforeAll
    void startTwoNodes() throws Exception {
        dir = Files.createTempDirectory("imap-cluster");
        StorageConfig config = TestStores.postgresqlConfig();
        storeA = Stores.open(config);
        storeB = Stores.open(config);
        storeA.settings().set("imap.allow_plaintext", "on");
        nodeA = ImapTestServer.start(storeA, dir.resolve("a"));
        nodeB = ImapTestServer.start(storeB, dir.resolve("b"));
        account = nodeA.addAccount("carol", "cluster.test");
    }

    @AfterAll
    void stopNodes() {
        nodeA.close();
        nodeB.close();
        storeA.close();
        storeB.close();
    }

    private static void assertOk(java.util.List<String> responses) {
        assertThat(responses.getLast()).matches("^\\S+ OK.*");
    }

    private ImapWire session(ImapTestServer node) throws IOException {
        ImapWire w = ImapWire.connect(node.imapPort());
        w.read();
        w.login("carol@cluster.test", ImapTestServer.PASSWORD);
        assertThat(w.completion(w.command("SELECT INBOX"))).startsWith("OK [READ-WRITE]");
        return w;
    }

    @Test
    void sessionsOnTwoNodesSeeEachOtherAndIdleCrossesNodes() throws IOException {
        nodeB.deliver(account.id(), "Subject: first\r\n\r\n1\r\n");
        try (ImapWire a = session(nodeA); ImapWire b = session(nodeB)) {
            assertThat(b.command("STORE 1 +FLAGS (\\Flagged)").getFirst()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Flagged))");
            assertThat(a.command("NOOP")).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Flagged))", a.lastTag() + " OK NOOP completed");

            a.send("I1 IDLE\r\n");
            assertThat(a.read()).isEqualTo("+ idling");
            long start = System.nanoTime();
            nodeB.deliver(account.id(), "Subject: second\r\n\r\n2\r\n");
            assertThat(a.read()).isEqualTo("* 2 EXISTS");
            assertThat((System.nanoTime() - start) / 1_000_000).as("cross-node IDLE delay in ms").isLessThan(1000);
            assertThat(b.command("NOOP")).containsExactly("* 2 EXISTS", b.lastTag() + " OK NOOP completed");
            assertOk(b.command("STORE 2 +FLAGS (\\Seen)"));
            assertThat(a.read()).isEqualTo("* 2 FETCH (UID 2 FLAGS (\\Seen))");
            a.send("DONE\r\n");
            assertThat(a.read()).isEqualTo("I1 OK IDLE terminated");
        }
    }
}
