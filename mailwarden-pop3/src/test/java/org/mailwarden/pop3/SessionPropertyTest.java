package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * Random command lines against a session on a real SQLite store: whatever arrives, every command gets
 * exactly one well-formed response (a status line, plus a complete dot-terminated block for multi-line
 * answers), the session never throws, and unless a QUIT completed in TRANSACTION nothing is deleted.
 */
class SessionPropertyTest {

    private static final Set<Verb> MULTILINE = Set.of(Verb.CAPA, Verb.RETR, Verb.TOP);

    private static Path dir;
    private static Store store;
    private static Pop3TestServer helper;
    private static Pop3Context context;
    private static long accountId;

    @BeforeContainer
    static void openStore() throws Exception {
        dir = Files.createTempDirectory("pop3-property");
        store = TestStores.sqlite(dir);
        helper = Pop3TestServer.start(store, dir);
        accountId = helper.addAccount("alice", "example.test", null, "alice-secret").id();
        context = new Pop3Context("mx.example.test", store, new SettingsSource(store),
                new LoginGuard(new Authenticator(store.accounts(), Pop3TestServer.FAST_HASHER),
                        Pop3TestServer.noDelayThrottle()),
                new MaildropLocks(store.locks(), Duration.ofMinutes(1)));
    }

    @AfterContainer
    static void closeStore() throws Exception {
        helper.close();
        store.close();
    }

    @BeforeTry
    void refill() {
        while (helper.inboxMessages(accountId).size() < 3) {
            helper.deliver(accountId, "Subject: filler\r\n\r\n.dot line\r\nbody\r\n");
        }
    }

    @Property(tries = 250)
    void everyCommandGetsOneWellFormedResponse(@ForAll("sessions") List<byte[]> lines) throws IOException {
        List<Long> before = uids();
        ByteArrayBuilder input = new ByteArrayBuilder();
        lines.forEach(input::add);
        MemoryTransport transport = MemoryTransport.hangingUpAfter(input.bytes());
        new Pop3Session(context, transport).run();

        List<String> out = splitLines(transport.sent());
        assertThat(out.getFirst()).isEqualTo("+OK mx.example.test POP3 server ready");
        int at = 1;
        boolean quitInTransaction = false;
        boolean loggedIn = false;
        for (byte[] line : lines) {
            if (at >= out.size()) {
                break;
            }
            String status = out.get(at++);
            assertThat(status).as("a status line").matches("(\\+OK|-ERR)( .*)?");
            if (status.equals("-ERR too many errors, closing the connection") || status.contains("too many failed logins")) {
                break;
            }
            CommandParser.Parsed parsed = CommandParser.parse(strip(line));
            if (status.startsWith("+OK") && parsed instanceof CommandParser.Parsed.Ok ok && isMultiline(ok.command(), loggedIn)) {
                while (!out.get(at).equals(".")) {
                    at++;
                }
                at++;
            }
            if (status.startsWith("+OK maildrop has")) {
                loggedIn = true;
            }
            if (status.startsWith("+OK") && parsed instanceof CommandParser.Parsed.Ok ok && ok.command().verb() == Verb.QUIT) {
                quitInTransaction = loggedIn;
                break;
            }
        }
        if (at < out.size() && out.get(at).equals("-ERR too many errors, closing the connection")) {
            at++;
        }
        assertThat(at).as("nothing after the last response").isEqualTo(out.size());
        if (!quitInTransaction) {
            assertThat(uids()).as("no QUIT, no deletion").isEqualTo(before);
        }
    }

    private static boolean isMultiline(Command c, boolean loggedIn) {
        if (MULTILINE.contains(c.verb())) {
            return true;
        }
        return switch (c.verb()) {
            case LIST, UIDL -> loggedIn && !c.hasArgs();
            case AUTH -> !loggedIn && !c.hasArgs();
            default -> false;
        };
    }

    @Provide
    Arbitrary<List<byte[]>> sessions() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "2", "3", "4", "-1", "999999999", "1x", "");
        Arbitrary<String> verbs = Arbitraries.of("STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "NOOP", "RSET", "CAPA",
                "QUIT", "STLS", "USER", "PASS", "APOP", "list", "bogus", "AUTH");
        Arbitrary<String> commands = Combinators.combine(verbs, numbers.list().ofMaxSize(3)).as((v, args) ->
                args.isEmpty() ? v : v + " " + String.join(" ", args));
        Arbitrary<String> noise = Arbitraries.strings().withCharRange((char) 0, (char) 255).excludeChars('\r', '\n')
                .ofMaxLength(40);
        Arbitrary<byte[]> line = Arbitraries.oneOf(commands, commands, commands, noise)
                .map(s -> (s + "\r\n").getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of(true, true, false), line.list().ofMaxSize(25)).as((withLogin, rest) -> {
            List<byte[]> all = new ArrayList<>();
            if (withLogin) {
                all.add("USER alice\r\n".getBytes(StandardCharsets.US_ASCII));
                all.add("PASS alice-secret\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            all.addAll(rest.stream().filter(l -> !startsWithAuthMechanism(l)).toList());
            return all;
        });
    }

    /** AUTH with a mechanism starts an exchange whose lines are not commands; the tests of SASL cover it. */
    private static boolean startsWithAuthMechanism(byte[] line) {
        String s = new String(line, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
        return s.startsWith("AUTH ");
    }

    private List<Long> uids() {
        return helper.inboxMessages(accountId).stream().map(Mailboxes.MessageEntry::uid).toList();
    }

    private static byte[] strip(byte[] line) {
        return java.util.Arrays.copyOf(line, line.length - 2);
    }

    private static List<String> splitLines(String text) {
        assertThat(text).endsWith("\r\n");
        return List.of(text.substring(0, text.length() - 2).split("\r\n", -1));
    }

    /** Concatenates byte arrays. */
    private static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(byte[] b) {
            out.writeBytes(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
