package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.LineReader;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.AcceptResult;
import org.mailwarden.store.Stores;

/**
 * Jazzer target for the SMTP server session: whatever a client sends — commands, pipelining, AUTH
 * exchanges, DATA bodies with any line endings and dots, BDAT chunks of any announced size, a STARTTLS
 * in the middle — runs through the same {@link SessionLoop} the network uses, over an in-memory
 * transport. It must end when the input ends, answer only with well-formed reply lines, store a message
 * exactly when it answers {@code 250 ... queued as}, hand the store only bodies with clean CRLF line
 * endings (no bare CR or LF to smuggle a second message downstream), and leave no spool file behind.
 * Any exception is a finding.
 *
 * <p>Input: one flag octet (bits 0-1 the listener role: smtp, submission, submissions; bit 2 STARTTLS
 * available; bit 3 the client comes from a relay-allowed network), then the client's bytes. The store
 * is SQLite with the domain {@code local.test}, the users alice and bob (password {@code secret}) and
 * small limits, so that limit paths are reached with short inputs; accepting only records the message.
 * It lives in the SMTP server's package to drive its package-private session directly.
 */
class SmtpSessionFuzzTest {

    private static final Connection.TlsInfo TLS = new Connection.TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256");
    private static final Fixture FIXTURE = new Fixture();

    @FuzzTest(maxDuration = "30s")
    void smtpSession(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int flags = input[0];
        ListenerRole role = List.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS,
                ListenerRole.SMTP).get(flags & 3);
        boolean startTls = (flags & 4) != 0 && role != ListenerRole.SUBMISSIONS;
        String clientIp = (flags & 8) != 0 ? "198.51.100.7" : "192.0.2.10";
        ClientInfo client = new ClientInfo(role, InetAddress.getByName(clientIp), InetAddress.getByName("127.0.0.1"),
                role == ListenerRole.SUBMISSIONS ? TLS : null, startTls);
        LineReader reader = new LineReader(new ByteArrayInputStream(input, 1, input.length - 1),
                SmtpConnection.MAX_COMMAND_LINE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FIXTURE.store.accepted.clear();

        new SessionLoop(new SmtpSession(FIXTURE.context, client, "FUZZ"), new MemoryTransport(reader, out),
                "mx.local.test").run();

        List<String> replies = replies(out.toString(StandardCharsets.UTF_8));
        long queued = replies.stream().filter(r -> r.matches("250 2\\.0\\.0 Ok: queued as \\S+")).count();
        assertThat(FIXTURE.store.accepted).as("messages stored vs. 250 queued replies").hasSize((int) queued);
        for (byte[] body : FIXTURE.store.accepted) {
            assertCleanLineEndings(body);
        }
        try (Stream<Path> left = Files.list(FIXTURE.spool)) {
            assertThat(left).as("spool files left behind").isEmpty();
        }
    }

    /** The final line of each reply; fails on anything that is not a well-formed reply line. */
    static List<String> replies(String output) {
        List<String> finals = new ArrayList<>();
        if (output.isEmpty()) {
            return finals;
        }
        assertThat(output).endsWith("\r\n");
        String pendingCode = null;
        for (String line : output.substring(0, output.length() - 2).split("\r\n", -1)) {
            assertThat(line).matches("[2-5]\\d\\d[ -][^\r\n]*");
            if (pendingCode != null) {
                assertThat(line).as("continuation of a multi-line reply").startsWith(pendingCode);
            }
            if (line.charAt(3) == '-') {
                pendingCode = line.substring(0, 3);
            } else {
                pendingCode = null;
                finals.add(line);
            }
        }
        assertThat(pendingCode).as("unfinished multi-line reply").isNull();
        return finals;
    }

    private static void assertCleanLineEndings(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\r') {
                assertThat(i + 1 < body.length && body[i + 1] == '\n').as("CR without LF at %d", i).isTrue();
            } else if (body[i] == '\n') {
                assertThat(i > 0 && body[i - 1] == '\r').as("LF without CR at %d", i).isTrue();
            }
        }
    }

    /** The server's shared state for every execution: store, policy, authentication, spool directory. */
    private static final class Fixture {
        final RecordingStore store;
        final SmtpContext context;
        final Path spool;

        Fixture() {
            // one log line per command would make the fuzzer a logger benchmark
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mailwarden"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            try {
                Path dir = Files.createTempDirectory("mailwarden-smtp-fuzz");
                spool = Files.createDirectories(dir.resolve("spool"));
                store = new RecordingStore(Stores.open(StorageConfig.sqlite(dir.resolve("store"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // small limits so that short inputs reach them; no delays so that the fuzzer stays fast
            store.settings().set("smtp.error_delay_ms", "0");
            store.settings().set("smtp.max_message_size", "2048");
            store.settings().set("smtp.max_recipients", "4");
            store.settings().set("smtp.max_line_length", "100");
            store.settings().set("smtp.max_hops", "3");
            store.settings().set("smtp.error_hard_limit", "30");
            store.domains().add("local.test", "LOCAL");
            PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Parameters(8, 1, 1));
            StoredPassword pw = StoredPassword.derive(cheap, "secret");
            store.accounts().add("alice", "local.test", pw.passwordHash(), pw.scramSha256());
            store.accounts().add("bob", "local.test", pw.passwordHash(), pw.scramSha256());
            store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("198.51.100.0/24"));
            AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 1_000_000,
                    1_000_000, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1000), Clock.systemUTC());
            context = new SmtpContext("mx.local.test", store, new PolicySource(store),
                    new EnvelopeChecks(new LocalDirectory(store), Set.of()),
                    new Authentication(new Authenticator(store.accounts(), cheap), throttle), spool);
        }
    }

    /**
     * A STARTTLS that "succeeds" at once, so that the session goes on in TLS state; the input after it
     * stands for what the client sends inside TLS.
     */
    private record MemoryTransport(LineReader reader, OutputStream output) implements SessionLoop.Transport {
        @Override
        public void setTimeout(Duration timeout) {
        }

        @Override
        public Connection.TlsInfo startTls() throws IOException {
            output.flush();
            return TLS;
        }

        @Override
        public boolean draining() {
            return false;
        }
    }

    /** Accepts by recording the body instead of committing it: the store is not what this target fuzzes. */
    private static final class RecordingStore extends DelegatingStore {
        final List<byte[]> accepted = new ArrayList<>();

        RecordingStore(org.mailwarden.store.Store delegate) {
            super(delegate);
        }

        @Override
        public AcceptResult accept(AcceptRequest request) {
            var content = request.local().isEmpty() ? request.outboundContent() : request.localContent();
            try (InputStream in = content.open()) {
                byte[] body = in.readAllBytes();
                assertThat((long) body.length).isEqualTo(content.size());
                accepted.add(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new AcceptResult(request.queueId(), request.local().stream()
                    .map(d -> new AcceptResult.Delivered(d.accountId(), 1, accepted.size())).toList());
        }
    }
}
