package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.io.Spool;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server as the wiring sees it: built once from the store, the host name, the TLS context and
 * the listener addresses, it hands out the {@link ConnectionHandler} for each SMTP listener role:
 * {@code smtp} (the MTA: anyone may deliver to local users; AUTH after STARTTLS unless switched off),
 * {@code submission} (STARTTLS, then AUTH, then MAIL) and {@code submissions} (the same over implicit
 * TLS). Runtime policy (domains, rules, limits) is read from the store and follows its changes.
 *
 * <pre>
 * SmtpService smtp = new SmtpService(store, "mx.example.test", tls::context, dataDir.resolve("spool"), addresses);
 * Listener.builder("smtp", address, smtp.handler(ListenerRole.SMTP)).build().start();
 * </pre>
 */
public final class SmtpService {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpService.class);

    private final SmtpContext context;
    private final Supplier<SSLContext> tls;

    /**
     * A service with its own authentication throttle.
     *
     * @param tls               the server's TLS context, asked at each handshake; null disables STARTTLS
     * @param spoolDir          where bodies too large for memory are spooled while they arrive; the
     *                          service's own directory, since leftovers of a crash are deleted at start
     * @param listenerAddresses the addresses the listeners are bound to (for address literals)
     */
    public SmtpService(Store store, String hostname, Supplier<SSLContext> tls, Path spoolDir,
                       Set<InetAddress> listenerAddresses) {
        this(store, hostname, tls, spoolDir, listenerAddresses,
                new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()));
    }

    /**
     * A service sharing {@code throttle} with the other protocols, so a password guesser cannot get more
     * tries by switching from SMTP to IMAP or POP3.
     */
    public SmtpService(Store store, String hostname, Supplier<SSLContext> tls, Path spoolDir,
                       Set<InetAddress> listenerAddresses, AuthThrottle throttle) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(hostname, "hostname");
        this.tls = tls;
        deleteLeftovers(spoolDir);
        Authenticator authenticator = new Authenticator(store.accounts(), new PasswordHasher());
        this.context = new SmtpContext(hostname, store, new PolicySource(store),
                new EnvelopeChecks(new LocalDirectory(store), listenerAddresses), new Authentication(authenticator, throttle),
                spoolDir);
    }

    /** Spool files of a previous run that died mid-message; nobody was told 250 for them. */
    private static void deleteLeftovers(Path spoolDir) {
        try {
            int n = Spool.deleteLeftovers(spoolDir);
            if (n > 0) {
                LOG.info("deleted {} unfinished spool files in {} left by a previous run", n, spoolDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the SMTP spool directory " + spoolDir
                    + " (check that it is a directory the server may write)", e);
        }
    }

    /** The handler for one of the SMTP roles. */
    public ConnectionHandler handler(ListenerRole role) {
        return switch (role) {
            case SMTP, SUBMISSION -> new SmtpConnection(context, role, tls);
            case SUBMISSIONS -> new SmtpConnection(context, role, null);
            default -> throw new IllegalArgumentException(role.key() + " is not an SMTP listener role");
        };
    }
}
