package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed input over a real connection: every bad command gets a tagged (or, without a
 * tag, untagged) BAD with a reason and the session goes on in step; literals the server refuses are never
 * asked for, or are skipped when the client already sent them; what cannot be skipped ends the session
 * with BYE; a client that keeps sending nonsense is disconnected.
 */
class MalformedInputTest extends ImapServerTestBase {

    @Test
    void badCommandsGetReasonsAndTheSessionGoesOn() throws IOException {
        try (ImapWire w = session()) {
            w.send("\r\n");
            assertThat(w.read()).isEqualTo("* BAD Missing or invalid command tag");
            w.send("tag-only\r\n");
            assertThat(w.read()).isEqualTo("tag-only BAD expected a space but the command ended");
            assertThat(w.completion(w.command("FROBNICATE"))).isEqualTo("BAD Unknown command FROBNICATE");
            assertThat(w.completion(w.command("UID LOGOUT"))).isEqualTo("BAD UID LOGOUT is not a command");
            assertThat(w.completion(w.command("NOOP extra"))).isEqualTo("BAD unexpected text at the end of the command: 'extra'");
            assertThat(w.completion(w.command("SELECT \"INBOX"))).isEqualTo("BAD unterminated quoted string");
            assertThat(w.completion(w.command("SELECT {3} INBOX"))).startsWith("BAD a literal must end its line");
            w.send("A9 SELECT \"a\0b\"\r\n");
            assertThat(w.read()).isEqualTo("A9 BAD quoted string contains CR, LF or NUL; send a literal instead");
            w.send(new byte[] {'x', ' ', (byte) 0xff, (byte) 0xfe, '\r', '\n'});
            assertThat(w.read()).startsWith("x BAD expected an atom at '\\xff\\xfe'");
            assertThat(w.completion(w.command("NOOP"))).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void anOverlongLineIsRefusedWithoutEndingTheSession() throws IOException {
        try (ImapWire w = session()) {
            w.send("L1 SEARCH " + "1,".repeat(40_000) + "1\r\n");
            assertThat(w.read()).isEqualTo("L1 BAD [TOOBIG] Command line too long (limit 65536 octets)");
            assertThat(w.completion(w.command("NOOP"))).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void refusedLiteralsKeepTheSessionInStep() throws IOException {
        try (ImapWire w = session()) {
            // a synchronising literal over the string limit is never asked for
            w.send("L1 SELECT {70000}\r\n");
            assertThat(w.read()).isEqualTo("L1 NO [TOOBIG] string literal of 70000 octets is too long (limit 65536)");
            // a non-synchronising one the client sent anyway is skipped, with what follows it
            w.send("L2 SELECT {70000+}\r\n" + "x".repeat(70000) + " more {3+}\r\nabc\r\n");
            assertThat(w.read()).isEqualTo("L2 NO [TOOBIG] string literal of 70000 octets is too long (limit 65536)");
            assertThat(w.completion(w.command("NOOP"))).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void aNonSynchronisingLiteralTooLargeToSkipEndsTheSession() throws IOException {
        try (ImapWire w = session()) {
            w.send("L1 APPEND INBOX {999999999999+}\r\n");
            assertThat(w.read()).isEqualTo("L1 NO [TOOBIG] Message is larger than the APPENDLIMIT of 52428800 octets");
            assertThat(w.read()).isEqualTo("* BYE non-synchronising literal of 999999999999 octets is too large");
            assertThat(w.read()).isNull();
        }
    }

    @Test
    void deeplyNestedListsAndTooManyTokensAreBad() throws IOException {
        try (ImapWire w = selected("INBOX")) {
            assertThat(w.completion(w.command("SEARCH " + "(".repeat(20) + "ALL" + ")".repeat(20))))
                    .isEqualTo("BAD lists nested too deeply (limit 16)");
            assertThat(w.completion(w.command("ID (" + "\"a\" \"b\" ".repeat(31) + ")")))
                    .isEqualTo("BAD too many ID fields (RFC 2971: at most 30)");
        }
    }

    @Test
    void aClientThatOnlySendsNonsenseIsDisconnected() throws IOException {
        try (ImapWire w = session()) {
            StringBuilder junk = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                junk.append("j").append(i).append(" ???\r\n");
            }
            w.send(junk.toString());
            String line;
            String last = null;
            while ((line = w.read()) != null) {
                last = line;
            }
            assertThat(last).isEqualTo("* BYE Too many invalid commands");
        }
    }

    @Test
    void randomBytesNeverBreakTheSession() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20241128);
        byte[] alphabet = "()[]{}<>\"\\ *%$:,+~0123456789abcxyzABCXYZ.-\r\0\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        try (ImapWire w = selected("INBOX")) {
            for (int round = 0; round < 200; round++) {
                byte[] line = new byte[random.nextInt(1, 120)];
                for (int i = 0; i < line.length; i++) {
                    line[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
                    if (line[i] == '\n') {
                        line[i] = ' ';
                    }
                }
                // a line ending in a literal announcement would make the client owe the server data
                String text = new String(line, StandardCharsets.ISO_8859_1);
                if (text.matches("(?s).*\\{\\d*\\+?}\\s*$")) {
                    continue;
                }
                byte[] noop = ("\r\nZ" + round + " NOOP\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] both = java.util.Arrays.copyOf(line, line.length + noop.length);
                System.arraycopy(noop, 0, both, line.length, noop.length);
                w.send(both);
                String response;
                do {
                    response = w.read();
                    assertThat(response).as("round " + round + " after " + text).isNotNull();
                } while (!response.startsWith("Z" + round + " "));
                assertThat(response).isEqualTo("Z" + round + " OK NOOP completed");
            }
        }
    }
}
