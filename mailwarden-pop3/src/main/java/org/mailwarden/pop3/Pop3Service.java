package org.mailwarden.pop3;

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
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.store.Store;

/**
 * The POP3 service as the wiring sees it: built once from the store, the host name, the TLS context and
 * the authentication pieces, it hands out the {@link ConnectionHandler} for the {@code pop3} listeners
 * (plain, with STLS) and the {@code pop3s} listeners (implicit TLS, done by the listener). Clients read
 * their INBOX; runtime switches ({@code pop3.allow_plaintext}, {@code pop3.idle_timeout_s},
 * {@code pop3.max_auth_failures}, {@code pop3.max_errors}, see {@link Pop3Settings}) come from the store
 * and follow its changes.
 *
 * <pre>
 * Pop3Service pop3 = new Pop3Service(store, "mx.example.test", tls::context, authenticator, throttle);
 * Listener.builder("pop3", address, pop3.handler(ListenerRole.POP3)).idleTimeout(Pop3Settings.MIN_IDLE_TIMEOUT).build().start();
 * Listener.builder("pop3s", address, pop3.handler(ListenerRole.POP3S)).implicitTls(tls::context).build().start();
 * </pre>
 */
public final class Pop3Service {

    private final Pop3Context context;
    private final Supplier<SSLContext> tls;

    /**
     * @param tls           the server's TLS context, asked at each handshake; null disables STLS
     * @param authenticator checks login names and passwords against the store's accounts
     * @param throttle      the server-wide failed-login throttle, shared with the other protocols
     */
    public Pop3Service(Store store, String hostname, Supplier<SSLContext> tls, Authenticator authenticator,
                       AuthThrottle throttle) {
        this(store, hostname, tls, authenticator, throttle, MaildropLocks.DEFAULT_TTL);
    }

    Pop3Service(Store store, String hostname, Supplier<SSLContext> tls, Authenticator authenticator,
                AuthThrottle throttle, Duration lockTtl) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(hostname, "hostname");
        this.tls = tls;
        this.context = new Pop3Context(hostname, store, new SettingsSource(store),
                new LoginGuard(Objects.requireNonNull(authenticator, "authenticator"),
                        Objects.requireNonNull(throttle, "throttle")),
                new MaildropLocks(store.locks(), lockTtl));
    }

    /**
     * A service with its own authenticator (default Argon2id parameters) and a throttle with the default
     * limits; for a server that runs POP3 alone. A server with several protocols shares one throttle.
     */
    public static Pop3Service create(Store store, String hostname, Supplier<SSLContext> tls) {
        return new Pop3Service(store, hostname, tls, new Authenticator(store.accounts(), new PasswordHasher()),
                new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()));
    }

    /** The handler for {@code pop3} or {@code pop3s} listeners. */
    public ConnectionHandler handler(ListenerRole role) {
        return switch (role) {
            case POP3 -> new Pop3Connection(context, tls);
            case POP3S -> new Pop3Connection(context, null);
            default -> throw new IllegalArgumentException(role.key() + " is not a POP3 listener role");
        };
    }
}
