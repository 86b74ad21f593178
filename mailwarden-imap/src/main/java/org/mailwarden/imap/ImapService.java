package org.mailwarden.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.imap.notify.ChangeMonitor;
import org.mailwarden.imap.session.ImapContext;
import org.mailwarden.imap.session.ImapSession;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP service as the wiring sees it: built once from the store, the host name, the TLS context and
 * the authentication pieces, it hands out the {@link ConnectionHandler} for the {@code imap} listeners
 * (plain, with STARTTLS) and the {@code imaps} listeners (implicit TLS, done by the listener), and owns
 * the change monitor that wakes IDLE. Runtime switches ({@code imap.allow_plaintext},
 * {@code imap.append_limit}, {@code imap.idle_timeout_s}, see {@link ImapSettings}) come from the store.
 *
 * <pre>
 * ImapService imap = new ImapService(store, "mx.example.test", tls::context, authenticator, throttle, tmpDir);
 * Listener.builder("imap", address, imap.handler(ListenerRole.IMAP)).idleTimeout(ImapSettings.MIN_IDLE_TIMEOUT).build().start();
 * Listener.builder("imaps", address, imap.handler(ListenerRole.IMAPS)).implicitTls(tls::context).build().start();
 * ...
 * imap.close();
 * </pre>
 */
public final class ImapService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapService.class);

    /** How often idling sessions' mailboxes are checked for changes made elsewhere (SMTP, other nodes). */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Store store;
    private final String hostname;
    private final Supplier<SSLContext> tls;
    private final LoginGuard authentication;
    private final ChangeMonitor monitor;
    private final SettingsSource settings;
    private final Path spoolDir;

    /**
     * @param tls           the server's TLS context, asked at each handshake; null disables STARTTLS
     * @param authenticator checks login names and passwords against the store's accounts
     * @param throttle      the server-wide failed-login throttle, shared with the other protocols
     * @param spoolDir      where APPENDed messages larger than 256 KiB are spooled before they are stored
     */
    public ImapService(Store store, String hostname, Supplier<SSLContext> tls, Authenticator authenticator,
                       AuthThrottle throttle, Path spoolDir) {
        this.store = Objects.requireNonNull(store, "store");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.tls = tls;
        this.authentication = new LoginGuard(Objects.requireNonNull(authenticator, "authenticator"),
                Objects.requireNonNull(throttle, "throttle"));
        this.monitor = new ChangeMonitor(store.mailboxes(), POLL_INTERVAL);
        this.settings = new SettingsSource(store);
        this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
    }

    /** A service with its own authenticator and throttle; for a server that runs IMAP alone. */
    public static ImapService create(Store store, String hostname, Supplier<SSLContext> tls, Path spoolDir) {
        return new ImapService(store, hostname, tls, new Authenticator(store.accounts(), new PasswordHasher()),
                new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()), spoolDir);
    }

    /** The handler for {@code imap} or {@code imaps} listeners. */
    public ConnectionHandler handler(ListenerRole role) {
        Supplier<SSLContext> startTls = switch (role) {
            case IMAP -> tls;
            case IMAPS -> null;
            default -> throw new IllegalArgumentException(role.key() + " is not an IMAP listener role");
        };
        ImapContext context = new ImapContext(store, hostname, startTls, authentication, settings::current, monitor,
                spoolDir);
        return new ConnectionHandler() {
            @Override
            public void handle(Connection connection) throws IOException {
                new ImapSession(context, connection).run();
            }

            @Override
            public void rejectBusy(Connection connection) throws IOException {
                connection.output().write("* BYE Too many connections; try again later\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                connection.output().flush();
            }
        };
    }

    /** Stops the change monitor; sessions still running end with their connections. */
    @Override
    public void close() {
        monitor.close();
        LOG.debug("imap service closed");
    }

    /** The current settings, reloaded when the store's change counter moves (checked at most every 250 ms). */
    private static final class SettingsSource {
        private static final long CHECK_INTERVAL_NANOS = 250_000_000L;
        private final Store store;
        private volatile ImapSettings settings;
        private volatile long version;
        private volatile long lastCheck;

        SettingsSource(Store store) {
            this.store = store;
            this.version = store.changeCounter();
            this.settings = ImapSettings.from(store.settings().all());
            this.lastCheck = System.nanoTime();
        }

        ImapSettings current() {
            long now = System.nanoTime();
            if (now - lastCheck < CHECK_INTERVAL_NANOS) {
                return settings;
            }
            synchronized (this) {
                if (now - lastCheck >= CHECK_INTERVAL_NANOS) {
                    lastCheck = now;
                    try {
                        long counter = store.changeCounter();
                        if (counter != version) {
                            settings = ImapSettings.from(store.settings().all());
                            version = counter;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("cannot reload the imap settings, keeping the previous ones: {}", e.toString());
                    }
                }
                return settings;
            }
        }
    }
}
