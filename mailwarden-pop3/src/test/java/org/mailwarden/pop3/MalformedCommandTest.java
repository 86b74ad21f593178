package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * Every command's malformed forms, before and after login, over a real socket: each gets its exact
 * {@code -ERR}, the session goes on (NOOP or CAPA still answer), and nothing is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedCommandTest {

    Store store;
    Pop3TestServer server;
    Accounts.Account alice;

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path tlsDir) throws Exception {
        store = TestStores.sqlite(dataDir);
        server = Pop3TestServer.start(store, tlsDir);
        alice = server.addAccount("alice", "example.test", null, "alice-secret");
        server.allowPlaintext();
        server.deliver(alice.id(), "Subject: one\r\n\r\n1\r\n");
        server.deliver(alice.id(), "Subject: two\r\n\r\n2\r\n");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        store.close();
    }

    static Stream<Arguments> beforeLogin() {
        return Stream.of(
                Arguments.of("", "-ERR empty command"),
                Arguments.of("BOGUS", "-ERR unknown command"),
                Arguments.of("XY", "-ERR unknown command"),
                Arguments.of("RETRIEVE 1", "-ERR unknown command"),
                Arguments.of("APOP alice 0123456789abcdef0123456789abcdef", "-ERR unknown command"),
                Arguments.of(" USER alice", "-ERR unknown command"),
                Arguments.of("USER", "-ERR USER needs one argument"),
                Arguments.of("USER a b", "-ERR USER takes one argument"),
                Arguments.of("USER  alice", "-ERR arguments are separated by exactly one space"),
                Arguments.of("USER alice ", "-ERR arguments are separated by exactly one space"),
                Arguments.of("PASS", "-ERR PASS needs one argument"),
                Arguments.of("PASS ", "-ERR PASS needs one argument"),
                Arguments.of("PASS secret", "-ERR send USER first"),
                Arguments.of("CAPA now", "-ERR CAPA takes no arguments"),
                Arguments.of("QUIT now", "-ERR QUIT takes no arguments"),
                Arguments.of("STLS x", "-ERR STLS takes no arguments"),
                Arguments.of("AUTH PLAIN a b", "-ERR AUTH takes 0 to 2 arguments"),
                Arguments.of("STAT", "-ERR STAT is not valid before login (AUTHORIZATION state)"),
                Arguments.of("LIST", "-ERR LIST is not valid before login (AUTHORIZATION state)"),
                Arguments.of("RETR 1", "-ERR RETR is not valid before login (AUTHORIZATION state)"),
                Arguments.of("DELE 1", "-ERR DELE is not valid before login (AUTHORIZATION state)"),
                Arguments.of("RSET", "-ERR RSET is not valid before login (AUTHORIZATION state)"),
                Arguments.of("NOOP", "-ERR NOOP is not valid before login (AUTHORIZATION state)"),
                Arguments.of("USER al\u0000ice", "-ERR control characters are not allowed in a command"),
                Arguments.of("USER al\rice", "-ERR control characters are not allowed in a command"),
                Arguments.of("USER al\tice", "-ERR control characters are not allowed in a command"));
    }

    static Stream<Arguments> afterLogin() {
        return Stream.of(
                Arguments.of("STAT 1", "-ERR STAT takes no arguments"),
                Arguments.of("LIST 1 2", "-ERR LIST takes 0 to 1 arguments"),
                Arguments.of("LIST 0", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("LIST 3", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("LIST -1", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("LIST +1", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("LIST 1x", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("LIST 0x1", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("LIST 999999999", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("LIST 99999999999999999999", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("LIST \u0661", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("UIDL 7", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("UIDL a", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("RETR", "-ERR RETR needs one argument"),
                Arguments.of("RETR 1 2", "-ERR RETR takes one argument"),
                Arguments.of("RETR 0", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("RETR 1.0", "-ERR a message number is a positive number of at most 9 digits"),
                Arguments.of("TOP", "-ERR TOP needs 2 arguments"),
                Arguments.of("TOP 1", "-ERR TOP takes 2 arguments"),
                Arguments.of("TOP 1 2 3", "-ERR TOP takes 2 arguments"),
                Arguments.of("TOP 1 -1", "-ERR the line count must be a non-negative number of at most 18 digits"),
                Arguments.of("TOP 1 x", "-ERR the line count must be a non-negative number of at most 18 digits"),
                Arguments.of("TOP 1 9999999999999999999", "-ERR the line count must be a non-negative number of at most 18 digits"),
                Arguments.of("TOP 9 1", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("DELE", "-ERR DELE needs one argument"),
                Arguments.of("DELE 3", "-ERR no such message; the maildrop has 2 (numbers 1 to 2)"),
                Arguments.of("DELE 1 1", "-ERR DELE takes one argument"),
                Arguments.of("NOOP x", "-ERR NOOP takes no arguments"),
                Arguments.of("RSET x", "-ERR RSET takes no arguments"),
                Arguments.of("QUIT x", "-ERR QUIT takes no arguments"),
                Arguments.of("USER alice", "-ERR USER is not valid after login (TRANSACTION state)"),
                Arguments.of("PASS alice-secret", "-ERR PASS is not valid after login (TRANSACTION state)"),
                Arguments.of("AUTH PLAIN", "-ERR AUTH is not valid after login (TRANSACTION state)"),
                Arguments.of("STLS", "-ERR STLS is not valid after login (TRANSACTION state)"),
                Arguments.of("LAST", "-ERR unknown command"),
                Arguments.of("RETR\u00a01", "-ERR unknown command"));
    }

    @ParameterizedTest
    @MethodSource("beforeLogin")
    void beforeLoginEachMalformedCommandGetsItsErr(String line, String reply) throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            assertThat(wire.command(line)).isEqualTo(reply);
            assertThat(wire.command("CAPA")).as("the session goes on").startsWith("+OK");
        }
    }

    @ParameterizedTest
    @MethodSource("afterLogin")
    void afterLoginEachMalformedCommandGetsItsErr(String line, String reply) throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK maildrop has 2 messages");
            assertThat(wire.command(line)).isEqualTo(reply);
            assertThat(wire.command("NOOP")).as("the session goes on").isEqualTo("+OK");
            assertThat(wire.command("QUIT")).startsWith("+OK");
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(2);
    }

    @Test
    void overlongLinesBareLfAndBadUtf8() throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            assertThat(wire.command("USER " + "a".repeat(300))).isEqualTo("-ERR command line too long (at most 255 octets with CRLF)");
            assertThat(wire.command("NOOP " + "9".repeat(10_000))).isEqualTo("-ERR command line too long (at most 255 octets with CRLF)");
            wire.sendRaw("CAPA\n");
            assertThat(wire.readLine()).isEqualTo("-ERR a command line must end with CRLF");
            wire.sendRaw(new byte[] {'U', 'S', 'E', 'R', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            assertThat(wire.readLine()).isEqualTo("-ERR the command is not valid UTF-8");
            assertThat(wire.command("USER al\u00efce")).as("UTF-8 names are fine").isEqualTo("+OK send PASS");
            assertThat(wire.login("alice", "alice-secret")).startsWith("+OK");
            assertThat(wire.command("RETR " + "1".repeat(240))).isEqualTo("-ERR a message number is a positive number of at most 9 digits");
            assertThat(wire.command("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void anEndlessLineClosesTheConnection() throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            byte[] junk = "x".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                wire.sendRaw(junk);
            } catch (java.io.IOException e) {
                // the server may close while we are still sending
            }
            assertThat(wire.readLine()).startsWith("-ERR command line too long");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void tooManyErrorsCloseTheConnection() throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            for (int i = 1; i < 20; i++) {
                assertThat(wire.command("BOGUS")).isEqualTo("-ERR unknown command");
            }
            assertThat(wire.command("BOGUS")).isEqualTo("-ERR unknown command");
            assertThat(wire.readLine()).isEqualTo("-ERR too many errors, closing the connection");
            assertThat(wire.readLine()).isNull();
        }
    }

    @Test
    void bytesAfterQuitAreNotExecuted() throws Exception {
        try (PopWire wire = PopWire.connect(server.pop3Port())) {
            wire.readLine();
            wire.sendRaw("USER alice\r\nPASS alice-secret\r\nDELE 1\r\nQUIT\r\nDELE 2\r\n");
            assertThat(wire.readLine()).startsWith("+OK");
            assertThat(wire.readLine()).startsWith("+OK maildrop has 2");
            assertThat(wire.readLine()).startsWith("+OK message 1 deleted");
            assertThat(wire.readLine()).startsWith("+OK").contains("signing off");
            assertThat(wire.readLine()).isNull();
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(1);
        server.deliver(alice.id(), "Subject: one again\r\n\r\n1\r\n");
    }
}
