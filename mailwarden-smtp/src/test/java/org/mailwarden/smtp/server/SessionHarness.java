package org.mailwarden.smtp.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.LineReader;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * Runs SMTP sessions without sockets: a whole client script goes in as bytes, every reply comes out,
 * through the same {@link SessionLoop} the network uses. Backed by a real SQLite store with the domain
 * {@code local.test} and the accounts {@code alice} and {@code bob}.
 */
final class SessionHarness implements AutoCloseable {

    final Store store;
    final SmtpContext context;
    final long alice;
    final long bob;

    SessionHarness(Path dir, Map<String, String> settings) {
        this(dir, settings, store -> { });
    }

    /** With {@code setup} run on the store before the server reads its policy. */
    SessionHarness(Path dir, Map<String, String> settings, java.util.function.Consumer<Store> setup) {
        this(dir, settings, setup, java.util.function.UnaryOperator.identity());
    }

    /** With the server seeing the store through {@code view} (to simulate a failing store). */
    SessionHarness(Path dir, Map<String, String> settings, java.util.function.Consumer<Store> setup,
                   java.util.function.UnaryOperator<Store> view) {
        store = TestStores.sqlite(dir.resolve("store"));
        store.settings().set("smtp.error_delay_ms", "0");
        settings.forEach(store.settings()::set);
        store.domains().add("local.test", "LOCAL");
        alice = store.accounts().add("alice", "local.test", "unused", "unused").id();
        bob = store.accounts().add("bob", "local.test", "unused", "unused").id();
        setup.accept(store);
        LocalDirectory directory = new LocalDirectory(store);
        Store seen = view.apply(store);
        context = new SmtpContext("mx.local.test", seen, new PolicySource(seen),
                new EnvelopeChecks(directory, Set.of()),
                new Authentication(new Authenticator(store.accounts(), new PasswordHasher()),
                        new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC())),
                dir.resolve("spool"));
    }

    /** Runs one session of the given role from {@code clientIp} over {@code script}; returns the replies. */
    List<WireClient.Response> run(ListenerRole role, String clientIp, String script) throws IOException {
        ClientInfo client = new ClientInfo(role, InetAddress.getByName(clientIp), InetAddress.getByName("127.0.0.1"),
                null, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryTransport transport = new MemoryTransport(
                new LineReader(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                        SmtpConnection.MAX_COMMAND_LINE), out);
        new SessionLoop(new SmtpSession(context, client, "TEST"), transport, context.hostname()).run();
        return parse(out.toString(StandardCharsets.UTF_8));
    }

    List<WireClient.Response> run(String script) throws IOException {
        return run(ListenerRole.SMTP, "192.0.2.10", script);
    }

    /** Splits server output into replies; throws when a line is not a well-formed reply line. */
    static List<WireClient.Response> parse(String output) {
        List<WireClient.Response> replies = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        if (!output.isEmpty() && !output.endsWith("\r\n")) {
            throw new AssertionError("output does not end with CRLF: " + output);
        }
        for (String line : output.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (!line.matches("[2-5]\\d\\d[ -].*") || line.contains("\r") || line.contains("\n")) {
                throw new AssertionError("malformed reply line: " + line);
            }
            lines.add(line);
            if (line.charAt(3) == ' ') {
                replies.add(new WireClient.Response(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines)));
                lines.clear();
            }
        }
        if (!lines.isEmpty()) {
            throw new AssertionError("unfinished multi-line reply: " + lines);
        }
        return replies;
    }

    @Override
    public void close() {
        store.close();
    }

    private record MemoryTransport(LineReader reader, OutputStream output) implements SessionLoop.Transport {
        @Override
        public void setTimeout(Duration timeout) {
        }

        @Override
        public Connection.TlsInfo startTls() {
            throw new IllegalStateException("no TLS in memory");
        }

        @Override
        public boolean draining() {
            return false;
        }
    }
}
