package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;

/**
 * What a POP3 user relies on, checked on each store backend: DELE only marks, RSET unmarks, only QUIT
 * removes, a dropped connection removes nothing, the maildrop lock keeps a second session out until the
 * first ends however it ends, and a message removed elsewhere (IMAP) during a session is answered with
 * {@code -ERR}, not a broken response.
 */
abstract class MaildropSemanticsContract {

    @TempDir
    Path tlsDir;

    Store store;
    Pop3TestServer server;
    Accounts.Account alice;

    abstract Store openStore();

    /** The lease length the server under test uses; short where a test waits for expiry or renewal. */
    Duration lockTtl() {
        return Duration.ofSeconds(2);
    }

    @BeforeEach
    void startServer() throws Exception {
        store = openStore();
        server = Pop3TestServer.start(store, tlsDir, Pop3TestServer.noDelayThrottle(), lockTtl());
        alice = server.addAccount("alice", "example.test", "EXAMPLE", "alice-secret");
        server.allowPlaintext();
        for (int i = 1; i <= 3; i++) {
            server.deliver(alice.id(), "Subject: message " + i + "\r\n\r\nbody " + i + "\r\n");
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        store.close();
    }

    private PopWire loggedIn() throws Exception {
        PopWire wire = PopWire.connect(server.pop3Port());
        assertThat(wire.readLine()).startsWith("+OK");
        assertThat(wire.login("alice@example.test", "alice-secret")).startsWith("+OK maildrop has 3 messages");
        return wire;
    }

    private List<Long> inboxUids() {
        return server.inboxMessages(alice.id()).stream().map(Mailboxes.MessageEntry::uid).toList();
    }

    @Test
    void deleMarksRsetUnmarksAndOnlyQuitExpunges() throws Exception {
        List<Long> before = inboxUids();
        try (PopWire wire = loggedIn()) {
            assertThat(wire.command("DELE 1")).isEqualTo("+OK message 1 deleted");
            assertThat(wire.command("DELE 2")).isEqualTo("+OK message 2 deleted");
            assertThat(wire.command("STAT")).startsWith("+OK 1 ");
            assertThat(wire.command("RSET")).startsWith("+OK maildrop has 3 messages");
            assertThat(wire.command("STAT")).startsWith("+OK 3 ");
            assertThat(wire.command("DELE 2")).isEqualTo("+OK message 2 deleted");
            assertThat(inboxUids()).as("nothing leaves the store before QUIT").isEqualTo(before);
            assertThat(wire.command("QUIT")).startsWith("+OK").contains("1 messages deleted, 2 left");
            assertThat(wire.readLine()).as("the server closes after QUIT").isNull();
        }
        assertThat(inboxUids()).containsExactly(before.get(0), before.get(2));
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK maildrop has 2 messages");
            assertThat(wire.multiline("LIST")).hasSize(3);
            assertThat(wire.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void droppedConnectionExpungesNothingAndReleasesTheLock() throws Exception {
        List<Long> before = inboxUids();
        PopWire wire = loggedIn();
        assertThat(wire.command("DELE 1")).startsWith("+OK");
        assertThat(wire.command("DELE 3")).startsWith("+OK");
        wire.close();
        // the lock goes when the server notices the closed connection, without waiting for the lease to expire
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (PopWire again = PopWire.connect(server.pop3Port())) {
                again.readLine();
                assertThat(again.login("alice@example.test", "alice-secret")).startsWith("+OK maildrop has 3 messages");
                again.command("QUIT");
            }
        });
        assertThat(inboxUids()).isEqualTo(before);
    }

    @Test
    void secondSessionGetsInUseUntilTheFirstQuits() throws Exception {
        try (PopWire first = loggedIn(); PopWire second = PopWire.connect(server.pop3Port())) {
            second.readLine();
            assertThat(second.login("EXAMPLE\\alice", "alice-secret")).startsWith("-ERR [IN-USE]");
            assertThat(second.command("STAT")).as("still in AUTHORIZATION").startsWith("-ERR");
            assertThat(first.command("QUIT")).startsWith("+OK");
            assertThat(second.login("alice", "alice-secret")).startsWith("+OK maildrop has 3 messages");
            assertThat(second.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void leaseIsRenewedWhileTheSessionLives() throws Exception {
        try (PopWire first = loggedIn()) {
            Thread.sleep(lockTtl().multipliedBy(2).toMillis());
            try (PopWire second = PopWire.connect(server.pop3Port())) {
                second.readLine();
                assertThat(second.login("alice", "alice-secret")).startsWith("-ERR [IN-USE]");
            }
            assertThat(first.command("DELE 1")).startsWith("+OK");
            assertThat(first.command("QUIT")).startsWith("+OK");
        }
        assertThat(inboxUids()).hasSize(2);
    }

    @Test
    void leaseOfACrashedHolderExpires() throws Exception {
        // a session on a node that died: it never releases, its lease just runs out
        assertThat(store.locks().tryAcquire(MaildropLocks.name(alice.id()), "dead-node/session", Duration.ofSeconds(1)))
                .isTrue();
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            assertThat(wire.login("alice", "alice-secret")).startsWith("-ERR [IN-USE]");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            try (PopWire wire = PopWire.connect(server.pop3Port())) {
                wire.readLine();
                assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
                wire.command("QUIT");
            }
        });
    }

    @Test
    void messageExpungedElsewhereDuringTheSessionIsAnErrNotACrash() throws Exception {
        try (PopWire wire = loggedIn()) {
            Mailboxes.Mailbox inbox = server.inbox(alice.id());
            long uid2 = inboxUids().get(1);
            assertThat(store.mailboxes().expunge(inbox.id(), List.of(uid2))).containsExactly(uid2);
            assertThat(wire.command("RETR 2")).isEqualTo("-ERR message 2 is no longer available: another client removed it");
            assertThat(wire.command("TOP 2 0")).startsWith("-ERR message 2 is no longer available");
            assertThat(wire.multiline("RETR 3")).contains("body 3");
            assertThat(wire.command("DELE 2")).startsWith("+OK");
            assertThat(wire.command("DELE 1")).startsWith("+OK");
            assertThat(wire.command("QUIT")).startsWith("+OK");
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(1);
    }
}
