package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Queue;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/**
 * A running SMTP server for end-to-end tests: a real store (SQLite unless given), a self-signed certificate, and the
 * three SMTP listeners on 127.0.0.1 with free ports. The domain {@code local.test} (short name LOCAL)
 * has the accounts alice and bob (password {@value #PASSWORD}) and the alias {@code sales} for alice.
 */
final class SmtpServerFixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";

    final Store store;
    final long alice;
    final long bob;
    private final Map<ListenerRole, Listener> listeners = new EnumMap<>(ListenerRole.class);

    SmtpServerFixture(Path dir, Map<String, String> settings) throws Exception {
        this(dir, settings, new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()),
                new ConnectionLimiter(ConnectionLimits.DEFAULT));
    }

    /** With a chosen authentication throttle and connection limits. */
    SmtpServerFixture(Path dir, Map<String, String> settings, AuthThrottle throttle, ConnectionLimiter limiter)
            throws Exception {
        this(TestStores.sqlite(dir.resolve("store")), dir, settings, throttle, limiter);
    }

    /** On the given (empty) store, for instance PostgreSQL. */
    SmtpServerFixture(Store store, Path dir, Map<String, String> settings, AuthThrottle throttle,
                      ConnectionLimiter limiter) throws Exception {
        this.store = store;
        store.settings().set("smtp.error_delay_ms", "0");
        settings.forEach(store.settings()::set);
        store.domains().add("local.test", "LOCAL");
        PasswordHasher hasher = new PasswordHasher();
        StoredPassword pw = StoredPassword.derive(hasher, PASSWORD);
        alice = store.accounts().add("alice", "local.test", pw.passwordHash(), pw.scramSha256()).id();
        bob = store.accounts().add("bob", "local.test", pw.passwordHash(), pw.scramSha256()).id();
        store.aliases().add("sales", "local.test", alice);
        TlsSupport tls = TlsSupport.open(dir.resolve("cert.pem"), dir.resolve("key.pem"), "mx.local.test");
        SmtpService service = new SmtpService(store, RuntimeConfig.follow(store), "mx.local.test", tls::context, dir.resolve("spool"),
                Set.of(InetAddress.getByName("127.0.0.1")), throttle);
        for (ListenerRole role : List.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS)) {
            Listener.Builder b = Listener.builder(role.key(), new InetSocketAddress("127.0.0.1", 0), service.handler(role))
                    .idleTimeout(Duration.ofMinutes(1)).maxLineLength(SmtpConnection.MAX_COMMAND_LINE).limiter(limiter);
            if (role.implicitTls()) {
                b.implicitTls(tls::context);
            }
            Listener l = b.build();
            l.start();
            listeners.put(role, l);
        }
    }

    int port(ListenerRole role) {
        return listeners.get(role).localAddress().getPort();
    }

    /** A raw client from {@code clientIp} to the MTA port, greeting already read. */
    WireClient connect(String clientIp) throws IOException {
        return connect(clientIp, ListenerRole.SMTP);
    }

    WireClient connect(String clientIp, ListenerRole role) throws IOException {
        WireClient c = new WireClient(clientIp, port(role));
        WireClient.Response greeting = c.read();
        if (greeting.code() != 220) {
            throw new IOException("unexpected greeting " + greeting);
        }
        return c;
    }

    List<String> inbox(long account) throws IOException {
        Mailboxes m = store.mailboxes();
        long id = m.find(account, "INBOX").orElseThrow().id();
        List<String> out = new ArrayList<>();
        for (Mailboxes.MessageEntry e : m.messages(id)) {
            try (InputStream in = m.openBody(e)) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    List<Queue.QueuedMessage> queue() {
        return store.queue().list();
    }

    @Override
    public void close() {
        listeners.values().forEach(Listener::close);
        store.close();
    }
}
