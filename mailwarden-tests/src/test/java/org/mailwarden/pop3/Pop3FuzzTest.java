package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.LineReader;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/**
 * Jazzer targets for POP3: the command parser on any line, and whole sessions on any byte stream
 * (USER/PASS, APOP, AUTH, STLS, LIST, RETR, TOP, DELE, RSET, QUIT in any order and shape) against a real
 * SQLite maildrop with three messages. The parser returns either a command whose argument count fits
 * its verb or a one-line refusal; a session never throws, greets first, and sends only CRLF lines (no
 * client octet can start a line of its own). It lives in the POP3 package to drive the package-private
 * session directly.
 *
 * <p>Session input: one flag octet (bit 0: the connection is TLS), then the client's bytes.
 */
class Pop3FuzzTest {

    private static final Fixture FIXTURE = new Fixture();

    @FuzzTest(maxDuration = "30s")
    void pop3CommandParser(byte[] line) {
        switch (CommandParser.parse(line)) {
            case CommandParser.Parsed.Ok ok -> {
                Command c = ok.command();
                assertThat(c.args().size()).isBetween(c.verb().minArgs(), Math.max(c.verb().maxArgs(), 1));
                c.args().forEach(a -> assertThat(a).isNotEmpty().doesNotContain("\r", "\n"));
            }
            case CommandParser.Parsed.Invalid invalid -> assertThat(invalid.reply()).isNotBlank()
                    .doesNotContain("\r", "\n");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void pop3Session(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        FIXTURE.refill();
        Transport transport = new Transport((input[0] & 1) != 0, input);
        new Pop3Session(FIXTURE.context, transport).run();

        String out = transport.output.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("+OK ").endsWith("\r\n");
        for (int i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n', i + 1)) {
            assertThat(out.charAt(i - 1)).as("LF without CR at %d", i).isEqualTo('\r');
        }
    }

    /** A store with alice@example.test (password {@code secret}) and at least three messages in her INBOX. */
    private static final class Fixture {
        final Store store;
        final long alice;
        final Pop3Context context;

        Fixture() {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mailwarden"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            try {
                store = Stores.open(StorageConfig.sqlite(Files.createTempDirectory("mailwarden-pop3-fuzz")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Parameters(8, 1, 1));
            store.domains().add("example.test", "EXAMPLE");
            StoredPassword pw = StoredPassword.derive(cheap, "secret");
            alice = store.accounts().add("alice", "example.test", pw.passwordHash(), pw.scramSha256()).id();
            AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 1_000_000,
                    1_000_000, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1000), Clock.systemUTC());
            context = new Pop3Context("mx.example.test", store, new SettingsSource(store),
                    new LoginGuard(new Authenticator(store.accounts(), cheap), throttle),
                    new MaildropLocks(store.locks(), Duration.ofMinutes(1)));
        }

        void refill() {
            long inbox = store.mailboxes().find(alice, "INBOX").orElseThrow().id();
            for (int n = store.mailboxes().messages(inbox).size(); n < 3; n++) {
                byte[] message = ("Subject: m" + n + "\r\n\r\n.dot line\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
                store.accept(new AcceptRequest("F" + System.nanoTime(), "sender@elsewhere.test", TestContent.of(message),
                        List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null));
            }
        }
    }

    /** The client's bytes, then the end of the stream; STLS "succeeds" at once. */
    private static final class Transport implements Pop3Transport {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final LineReader reader;
        boolean tls;

        Transport(boolean tls, byte[] input) {
            this.tls = tls;
            this.reader = new LineReader(new ByteArrayInputStream(input, 1, input.length - 1),
                    LineReader.DEFAULT_MAX_LINE_LENGTH);
        }

        @Override
        public String id() {
            return "FUZZ";
        }

        @Override
        public InetSocketAddress clientAddress() {
            return new InetSocketAddress("192.0.2.10", 40000);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 110);
        }

        @Override
        public LineReader reader() {
            return reader;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public boolean isTls() {
            return tls;
        }

        @Override
        public boolean canStartTls() {
            return !tls;
        }

        @Override
        public void startTls() {
            tls = true;
        }

        @Override
        public void setIdleTimeout(Duration timeout) {
        }

        @Override
        public boolean draining() {
            return false;
        }
    }

}
