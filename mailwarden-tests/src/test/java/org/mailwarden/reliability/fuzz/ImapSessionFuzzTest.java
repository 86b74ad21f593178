package org.mailwarden.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.net.Listener;
import org.mailwarden.imap.ImapService;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/**
 * Jazzer target for the IMAP server: whatever a client sends — any command in any state, literals
 * announced and not sent, APPEND, FETCH of any section, SEARCH, STORE, COPY/MOVE, EXPUNGE, IDLE — goes
 * over a real socket to the IMAP service in this JVM, backed by a real SQLite store with a user whose
 * mailboxes hold a few MIME messages. The session must greet first, end when the client's input ends
 * (within ten seconds: anything longer is a hang), and never answer {@code BYE Internal server error}
 * (the session's report of an unexpected exception). The input is the client's byte stream; the session
 * runs on plain IMAP with plaintext login allowed, as alice with password {@code secret}.
 */
class ImapSessionFuzzTest {

    private static final Fixture FIXTURE = new Fixture();

    @FuzzTest(maxDuration = "30s")
    void imapSession(byte[] input) throws IOException {
        FIXTURE.tidy();
        String output;
        // Jazzer's SSRF detector: this target's one connection is to the server under test
        SilentCloseable allowed = BugDetectors.allowNetworkConnections((host, port) -> port == FIXTURE.address.getPort());
        try (Socket s = new Socket()) {
            s.connect(FIXTURE.address, 5000);
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(input);
                s.shutdownOutput();
            } catch (SocketException e) {
                // the server already closed (e.g. after too many bad commands): what it said still counts
            }
            output = readAll(s.getInputStream());
        } finally {
            allowed.close();
        }
        assertThat(output).startsWith("* OK [CAPABILITY ");
        assertThat(output).doesNotContain("Internal server error");
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset after the server closed with unread input: the output up to here is what it sent
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The IMAP service on a free port, its store, and alice's mailboxes kept at a bounded size. */
    private static final class Fixture {
        final Store store;
        final long alice;
        final InetSocketAddress address;

        Fixture() {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mailwarden"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            try {
                Path dir = Files.createTempDirectory("mailwarden-imap-fuzz");
                store = Stores.open(StorageConfig.sqlite(dir.resolve("store")));
                store.settings().set("imap.allow_plaintext", "true");
                store.settings().set("imap.append_limit", "65536");
                store.settings().set("imap.max_bad_commands", "50");
                store.settings().set("imap.max_auth_failures", "50");
                store.domains().add("example.test", "EXAMPLE");
                PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Parameters(8, 1, 1));
                StoredPassword pw = StoredPassword.derive(cheap, "secret");
                alice = store.accounts().add("alice", "example.test", pw.passwordHash(), pw.scramSha256()).id();
                AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 1_000_000,
                        1_000_000, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1000), Clock.systemUTC());
                ImapService service = new ImapService(store, "mx.example.test", null,
                        new Authenticator(store.accounts(), cheap), throttle, dir.resolve("spool"));
                Listener listener = Listener.builder("imap", new InetSocketAddress("127.0.0.1", 0),
                        service.handler(ListenerRole.IMAP))
                        .limiter(new ConnectionLimiter(new ConnectionLimits(1000, 1000))).build();
                listener.start();
                address = listener.localAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** At least three messages (one multipart) in INBOX, at most a hundred in any mailbox. */
        void tidy() {
            Mailboxes m = store.mailboxes();
            for (Mailboxes.Mailbox box : m.list(alice)) {
                List<Mailboxes.MessageEntry> messages = m.messages(box.id());
                if (messages.size() > 100) {
                    m.expunge(box.id(), messages.subList(0, messages.size() - 100).stream()
                            .map(Mailboxes.MessageEntry::uid).toList());
                }
            }
            long inbox = m.find(alice, "INBOX").orElseThrow().id();
            for (int n = m.messages(inbox).size(); n < 3; n++) {
                m.append(inbox, TestContent.of(n == 0 ? MULTIPART : "Subject: m" + n + "\r\nFrom: b@x.test\r\n\r\nbody " + n
                        + "\r\n"), Set.of(n == 1 ? "\\Seen" : "$Label"), Instant.parse("2026-11-27T12:00:00Z"));
            }
        }

        private static final String MULTIPART = "From: \"B\" <b@x.test>\r\nTo: alice@example.test\r\nSubject: parts\r\n"
                + "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--XX--\r\n";
    }
}
