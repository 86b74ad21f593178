package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.testing.ScramClient;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/**
 * The POP3 dialogue over real sockets on a real SQLite store, as a client sees it byte for byte:
 * capabilities before and after TLS, the plaintext rule, the three login forms, SASL, every TRANSACTION
 * command, UIDL stability across a restart, pipelining and the failed-login throttle.
 */
class Pop3ProtocolTest {

    static final String MESSAGE_WITH_DOTS = "From: bob@elsewhere.test\r\nSubject: dots\r\n\r\n"
            + ".starts with a dot\r\n.\r\n..\r\nmiddle . dot\r\n8-bit: caf\u00e9\r\n.end\r\n";

    @TempDir
    Path dataDir;
    @TempDir
    Path tlsDir;

    Store store;
    Pop3TestServer server;
    Accounts.Account alice;

    @BeforeEach
    void start() throws Exception {
        store = TestStores.sqlite(dataDir);
        server = Pop3TestServer.start(store, tlsDir);
        alice = server.addAccount("alice", "example.test", "EXAMPLE", "alice-secret");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
    }

    private PopWire connect() throws Exception {
        PopWire wire = PopWire.connect(server.pop3Port());
        assertThat(wire.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
        return wire;
    }

    private PopWire connectTls() throws Exception {
        PopWire wire = PopWire.connectTls(server.pop3sPort());
        assertThat(wire.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
        return wire;
    }

    @Test
    void capabilitiesWithoutTlsHidePlaintextLogins() throws Exception {
        try (PopWire wire = connect()) {
            assertThat(wire.multiline("CAPA")).containsExactly("+OK capability list follows", "TOP", "UIDL",
                    "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS", "SASL SCRAM-SHA-256", "IMPLEMENTATION mailwarden");
            assertThat(wire.command("USER alice")).startsWith("-ERR [AUTH] USER/PASS needs TLS");
            assertThat(wire.command("PASS alice-secret")).startsWith("-ERR [AUTH]");
            assertThat(wire.command("AUTH PLAIN " + ScramClient.b64("\0alice\0alice-secret")))
                    .startsWith("-ERR [AUTH] PLAIN needs TLS");
            assertThat(wire.command("AUTH LOGIN")).startsWith("-ERR [AUTH] LOGIN needs TLS");
            assertThat(wire.command("QUIT")).isEqualTo("+OK mx.example.test POP3 server signing off");
        }
    }

    @Test
    void stlsThenUserPass() throws Exception {
        try (PopWire wire = connect()) {
            assertThat(wire.command("STLS")).isEqualTo("+OK begin TLS negotiation");
            wire.startTls();
            assertThat(wire.multiline("CAPA")).containsExactly("+OK capability list follows", "TOP", "UIDL",
                    "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "USER", "SASL SCRAM-SHA-256 PLAIN LOGIN",
                    "IMPLEMENTATION mailwarden");
            assertThat(wire.command("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(wire.login("alice@example.test", "alice-secret")).isEqualTo("+OK maildrop has 0 messages (0 octets)");
            assertThat(wire.multiline("CAPA")).containsExactly("+OK capability list follows", "TOP", "UIDL",
                    "RESP-CODES", "PIPELINING", "IMPLEMENTATION mailwarden");
            assertThat(wire.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void commandsPipelinedBehindStlsAreNeverExecuted() throws Exception {
        try (PopWire wire = connect()) {
            wire.sendRaw("STLS\r\nUSER alice\r\n");
            assertThat(wire.readLine()).isEqualTo("+OK begin TLS negotiation");
            wire.startTls();
            assertThat(wire.command("PASS alice-secret")).as("the plaintext USER was discarded")
                    .isEqualTo("-ERR send USER first");
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
        }
    }

    @Test
    void implicitTlsAllowsUserPass() throws Exception {
        try (PopWire wire = connectTls()) {
            assertThat(wire.multiline("CAPA")).contains("USER").doesNotContain("STLS");
            assertThat(wire.command("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
            assertThat(wire.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void plaintextPerListenerSetting() throws Exception {
        store.settings().set("pop3.allow_plaintext", "127.0.0.1:" + server.pop3sPort() + ", 192.0.2.1");
        Pop3TestServer.awaitSettings();
        try (PopWire wire = connect()) {
            assertThat(wire.command("USER alice")).startsWith("-ERR [AUTH]");
        }
        store.settings().set("pop3.allow_plaintext", "192.0.2.1, 127.0.0.1:" + server.pop3Port());
        Pop3TestServer.awaitSettings();
        try (PopWire wire = connect()) {
            assertThat(wire.multiline("CAPA")).contains("USER", "SASL SCRAM-SHA-256 PLAIN LOGIN");
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
            wire.command("QUIT");
        }
    }

    @Test
    void threeLoginFormsAndWrongPasswords() throws Exception {
        server.allowPlaintext();
        for (String login : List.of("alice@example.test", "ALICE@Example.Test", "EXAMPLE\\alice", "example\\Alice",
                "example.test\\alice", "alice")) {
            try (PopWire wire = connect()) {
                assertThat(wire.login(login, "alice-secret")).as(login).startsWith("+OK maildrop has");
                assertThat(wire.command("QUIT")).startsWith("+OK");
            }
        }
        try (PopWire wire = connect()) {
            assertThat(wire.login("alice", "wrong")).isEqualTo("-ERR [AUTH] authentication failed");
            assertThat(wire.login("nobody@example.test", "alice-secret")).isEqualTo("-ERR [AUTH] authentication failed");
            assertThat(wire.command("PASS alice-secret")).as("PASS needs a USER just before").isEqualTo("-ERR send USER first");
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
            wire.command("QUIT");
        }
        server.addAccount("alice", "other.test", null, "other-secret");
        try (PopWire wire = connect()) {
            assertThat(wire.login("alice", "alice-secret")).as("a bare name in two domains is ambiguous")
                    .isEqualTo("-ERR [AUTH] authentication failed");
        }
    }

    @Test
    void passwordWithSpacesIsTheRestOfTheLine() throws Exception {
        server.allowPlaintext();
        Accounts.Account bob = server.addAccount("bob", "example.test", null, " two  spaces ");
        server.deliver(bob.id(), "Subject: hi\r\n\r\nhi\r\n");
        try (PopWire wire = connect()) {
            assertThat(wire.login("bob", " two  spaces ")).startsWith("+OK maildrop has 1 messages");
        }
    }

    @Test
    void transactionCommandsAndExactBytes() throws Exception {
        byte[] dots = MESSAGE_WITH_DOTS.getBytes(StandardCharsets.UTF_8);
        byte[] noFinalCrlf = "Subject: unterminated\r\n\r\nline one\r\nlast line without CRLF".getBytes(StandardCharsets.UTF_8);
        byte[] plain = "Subject: plain\r\n\r\n1\r\n2\r\n3\r\n4\r\n".getBytes(StandardCharsets.UTF_8);
        long uid1 = server.deliver(alice.id(), dots);
        long uid2 = server.deliver(alice.id(), noFinalCrlf);
        long uid3 = server.deliver(alice.id(), plain);
        long validity = server.inbox(alice.id()).uidValidity();
        long total = dots.length + noFinalCrlf.length + plain.length;
        try (PopWire wire = connectTls()) {
            assertThat(wire.login("alice", "alice-secret")).isEqualTo("+OK maildrop has 3 messages (" + total + " octets)");
            assertThat(wire.command("STAT")).isEqualTo("+OK 3 " + total);
            assertThat(wire.multiline("LIST")).containsExactly("+OK 3 messages (" + total + " octets)",
                    "1 " + dots.length, "2 " + noFinalCrlf.length, "3 " + plain.length);
            assertThat(wire.command("LIST 2")).isEqualTo("+OK 2 " + noFinalCrlf.length);
            assertThat(wire.multiline("UIDL")).containsExactly("+OK unique-id listing follows",
                    "1 " + validity + "." + uid1, "2 " + validity + "." + uid2, "3 " + validity + "." + uid3);
            assertThat(wire.command("UIDL 3")).isEqualTo("+OK 3 " + validity + "." + uid3);

            assertThat(wire.command("RETR 1")).isEqualTo("+OK " + dots.length + " octets");
            byte[] raw = wire.readRawBody();
            assertThat(new String(raw, StandardCharsets.UTF_8)).as("dot-stuffed on the wire")
                    .contains("\r\n..starts with a dot\r\n..\r\n...\r\nmiddle . dot\r\n");
            assertThat(PopWire.unstuff(raw)).as("unstuffed, exactly the stored bytes").isEqualTo(dots);

            assertThat(wire.command("RETR 2")).isEqualTo("+OK " + noFinalCrlf.length + " octets");
            assertThat(PopWire.unstuff(wire.readRawBody())).as("a CRLF is added before the final dot")
                    .isEqualTo(concat(noFinalCrlf, "\r\n".getBytes(StandardCharsets.US_ASCII)));

            assertThat(wire.multiline("TOP 3 0")).containsExactly("+OK top of message follows", "Subject: plain", "");
            assertThat(wire.multiline("TOP 3 2")).containsExactly("+OK top of message follows", "Subject: plain", "", "1", "2");
            assertThat(wire.multiline("TOP 3 999999999999999999")).hasSize(7);
            assertThat(wire.multiline("TOP 1 1")).containsExactly("+OK top of message follows",
                    "From: bob@elsewhere.test", "Subject: dots", "", ".starts with a dot");

            assertThat(wire.command("DELE 2")).isEqualTo("+OK message 2 deleted");
            assertThat(wire.command("DELE 2")).isEqualTo("-ERR message 2 is already deleted");
            assertThat(wire.command("RETR 2")).isEqualTo("-ERR message 2 is already deleted");
            assertThat(wire.command("LIST 2")).isEqualTo("-ERR message 2 is already deleted");
            assertThat(wire.command("UIDL 2")).isEqualTo("-ERR message 2 is already deleted");
            assertThat(wire.command("TOP 2 1")).isEqualTo("-ERR message 2 is already deleted");
            assertThat(wire.multiline("LIST")).containsExactly("+OK 2 messages (" + (dots.length + plain.length) + " octets)",
                    "1 " + dots.length, "3 " + plain.length);
            assertThat(wire.multiline("UIDL")).hasSize(3).doesNotContain("2 " + validity + "." + uid2);
            assertThat(wire.command("NOOP")).isEqualTo("+OK");
            assertThat(wire.command("QUIT")).isEqualTo("+OK mx.example.test POP3 server signing off (1 messages deleted, 2 left)");
        }
        assertThat(server.inboxMessages(alice.id())).extracting(m -> m.uid()).containsExactly(uid1, uid3);
        try (PopWire wire = connectTls()) {
            wire.login("alice", "alice-secret");
            assertThat(wire.multiline("UIDL")).as("numbers start again from 1, unique ids stay")
                    .containsExactly("+OK unique-id listing follows", "1 " + validity + "." + uid1, "2 " + validity + "." + uid3);
        }
    }

    @Test
    void uidlIsStableAcrossARestart() throws Exception {
        server.allowPlaintext();
        server.deliver(alice.id(), "Subject: a\r\n\r\na\r\n");
        server.deliver(alice.id(), "Subject: b\r\n\r\nb\r\n");
        List<String> before;
        try (PopWire wire = connect()) {
            wire.login("alice", "alice-secret");
            before = wire.multiline("UIDL");
            wire.command("QUIT");
        }
        server.close();
        store.close();
        store = TestStores.sqlite(dataDir);
        server = Pop3TestServer.start(store, tlsDir);
        try (PopWire wire = connect()) {
            wire.login("alice", "alice-secret");
            assertThat(wire.multiline("UIDL")).isEqualTo(before);
            wire.command("QUIT");
        }
    }

    @Test
    void largeMessageStreamsIntact() throws Exception {
        long size = 12L * 1024 * 1024;
        server.deliver(alice.id(), TestContent.generated(size, 42));
        try (PopWire wire = connectTls()) {
            wire.login("alice", "alice-secret");
            assertThat(wire.command("LIST 1")).isEqualTo("+OK 1 " + size);
            assertThat(wire.command("RETR 1")).isEqualTo("+OK " + size + " octets");
            byte[] body = PopWire.unstuff(wire.readRawBody());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            TestContent.generatedStream(size, 42).transferTo(expected);
            byte[] stored = expected.toByteArray();
            boolean endsWithLf = stored[stored.length - 1] == '\n';
            assertThat(body.length).isEqualTo(size + (endsWithLf ? 0 : 2));
            assertThat(sha256(body, (int) size)).isEqualTo(sha256(stored, stored.length));
            assertThat(wire.command("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        server.deliver(alice.id(), "Subject: one\r\n\r\n1\r\n");
        server.deliver(alice.id(), "Subject: two\r\n\r\n2\r\n");
        try (PopWire wire = connectTls()) {
            wire.sendRaw("USER alice\r\nPASS alice-secret\r\nSTAT\r\nLIST\r\nRETR 2\r\nDELE 1\r\nBOGUS\r\nQUIT\r\n");
            assertThat(wire.readLine()).isEqualTo("+OK send PASS");
            assertThat(wire.readLine()).startsWith("+OK maildrop has 2 messages");
            assertThat(wire.readLine()).startsWith("+OK 2 ");
            assertThat(wire.readMultiline()).hasSize(3);
            assertThat(wire.readMultiline()).contains("Subject: two", "2");
            assertThat(wire.readLine()).isEqualTo("+OK message 1 deleted");
            assertThat(wire.readLine()).isEqualTo("-ERR unknown command");
            assertThat(wire.readLine()).startsWith("+OK").contains("1 messages deleted");
            assertThat(wire.readLine()).isNull();
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(1);
    }

    @Test
    void saslPlainAndLoginOverTls() throws Exception {
        try (PopWire wire = connectTls()) {
            assertThat(wire.multiline("AUTH")).containsExactly("+OK SASL mechanisms follow", "SCRAM-SHA-256", "PLAIN", "LOGIN");
            assertThat(wire.command("AUTH PLAIN " + ScramClient.b64("\0EXAMPLE\\alice\0alice-secret")))
                    .startsWith("+OK maildrop has 0 messages");
            wire.command("QUIT");
        }
        try (PopWire wire = connectTls()) {
            assertThat(wire.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(wire.command(ScramClient.b64("\0alice\0wrong"))).isEqualTo("-ERR [AUTH] authentication failed");
            assertThat(wire.command("AUTH LOGIN")).isEqualTo("+ " + ScramClient.b64("Username:"));
            assertThat(wire.command(ScramClient.b64("alice@example.test"))).isEqualTo("+ " + ScramClient.b64("Password:"));
            assertThat(wire.command(ScramClient.b64("alice-secret"))).startsWith("+OK maildrop has 0 messages");
            wire.command("QUIT");
        }
    }

    @Test
    void saslScramWithoutTls() throws Exception {
        ScramClient scram = new ScramClient("alice", "alice-secret");
        try (PopWire wire = connect()) {
            String serverFirst = wire.command("AUTH SCRAM-SHA-256 " + ScramClient.b64(scram.clientFirst()));
            assertThat(serverFirst).startsWith("+ ");
            String serverFinal = wire.command(ScramClient.b64(scram.clientFinal(ScramClient.unb64(serverFirst.substring(2)))));
            assertThat(serverFinal).startsWith("+ ");
            assertThat(scram.serverFinalValid(ScramClient.unb64(serverFinal.substring(2)))).isTrue();
            assertThat(wire.command("")).startsWith("+OK maildrop has 0 messages");
            wire.command("QUIT");
        }
        ScramClient wrong = new ScramClient("alice", "not-her-password");
        try (PopWire wire = connect()) {
            String serverFirst = wire.command("AUTH SCRAM-SHA-256");
            assertThat(serverFirst).isEqualTo("+ ");
            serverFirst = wire.command(ScramClient.b64(wrong.clientFirst()));
            assertThat(wire.command(ScramClient.b64(wrong.clientFinal(ScramClient.unb64(serverFirst.substring(2))))))
                    .isEqualTo("-ERR [AUTH] authentication failed");
        }
    }

    @Test
    void saslMalformedAndCancelled() throws Exception {
        try (PopWire wire = connectTls()) {
            assertThat(wire.command("AUTH CRAM-MD5")).startsWith("-ERR unsupported authentication mechanism");
            assertThat(wire.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(wire.command("*")).isEqualTo("-ERR [AUTH] authentication cancelled");
            assertThat(wire.command("AUTH PLAIN not-base64!")).isEqualTo("-ERR [AUTH] authentication failed");
            assertThat(wire.command("AUTH LOGIN")).startsWith("+ ");
            assertThat(wire.command("%%%")).isEqualTo("-ERR [AUTH] authentication failed");
            assertThat(wire.readLine()).as("the third failure closes the connection").isNull();
        }
    }

    @Test
    void failedLoginsAreThrottledPerAccountAcrossLoginForms() throws Exception {
        server.close();
        AuthThrottle strict = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 100, 3, Duration.ZERO,
                Duration.ZERO, Duration.ofMinutes(15), 1000), Clock.systemUTC());
        server = Pop3TestServer.start(store, tlsDir, strict, MaildropLocks.DEFAULT_TTL);
        server.allowPlaintext();
        try (PopWire wire = connect()) {
            assertThat(wire.login("alice", "guess1")).startsWith("-ERR [AUTH] authentication failed");
            assertThat(wire.login("EXAMPLE\\alice", "guess2")).startsWith("-ERR [AUTH] authentication failed");
        }
        try (PopWire wire = connect()) {
            assertThat(wire.login("alice@example.test", "guess3")).startsWith("-ERR [AUTH] authentication failed");
            assertThat(wire.login("alice@example.test", "alice-secret"))
                    .isEqualTo("-ERR [AUTH] too many failed logins; try again later");
            assertThat(wire.command("AUTH PLAIN " + ScramClient.b64("\0alice\0alice-secret")))
                    .as("SASL too").isEqualTo("-ERR [AUTH] too many failed logins; try again later");
        }
    }

    @Test
    void failedLoginsAreThrottledPerAddress() throws Exception {
        server.close();
        AuthThrottle strict = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 4, 100, Duration.ZERO,
                Duration.ZERO, Duration.ofMinutes(15), 1000), Clock.systemUTC());
        server = Pop3TestServer.start(store, tlsDir, strict, MaildropLocks.DEFAULT_TTL);
        server.allowPlaintext();
        server.addAccount("bob", "example.test", null, "bob-secret");
        try (PopWire wire = connect()) {
            wire.login("carol", "x");
            wire.login("dave", "x");
        }
        try (PopWire wire = connect()) {
            wire.login("erin", "x");
            wire.login("frank", "x");
            assertThat(wire.login("bob", "bob-secret")).isEqualTo("-ERR [AUTH] too many failed logins; try again later");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] data, int length) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(data, 0, length);
        return d.digest();
    }
}
