package org.mailwarden.imap.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.imap.ImapService;
import org.mailwarden.imap.ImapSettings;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;

/**
 * An IMAP server for tests: an {@link ImapService} on a real store, with a plain listener (STARTTLS) and
 * an implicit-TLS listener on 127.0.0.1 at free ports, a self-signed certificate, fast password hashing
 * and a throttle without delays. Messages arrive through the store's accept, as SMTP delivers them.
 */
final class ImapTestServer implements AutoCloseable {

    static final String HOST = "mx.example.test";
    static final String PASSWORD = "correct horse battery";
    static final PasswordHasher FAST_HASHER = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    private static final AtomicInteger QUEUE_IDS = new AtomicInteger();

    private final Store store;
    private final ImapService service;
    private final Listener imap;
    private final Listener imaps;

    private ImapTestServer(Store store, ImapService service, Listener imap, Listener imaps) {
        this.store = store;
        this.service = service;
        this.imap = imap;
        this.imaps = imaps;
    }

    private static Path certificates;

    /** One self-signed certificate for every test server of the JVM: generating one takes a while. */
    static synchronized Path certificates() throws Exception {
        if (certificates == null) {
            Path d = java.nio.file.Files.createTempDirectory("imap-test-tls");
            TlsSupport.open(d.resolve("cert.pem"), d.resolve("key.pem"), HOST);
            certificates = d;
        }
        return certificates;
    }

    static ImapTestServer start(Store store, Path dir) throws Exception {
        Path certs = certificates();
        TlsSupport tls = TlsSupport.load(certs.resolve("cert.pem"), certs.resolve("key.pem"));
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 1000, 1000,
                Duration.ZERO, Duration.ZERO, Duration.ofMinutes(15), 10_000), Clock.systemUTC());
        ImapService service = new ImapService(store, RuntimeConfig.follow(store), HOST, tls::context,
                new Authenticator(store.accounts(), FAST_HASHER), throttle, dir.resolve("spool"));
        Listener imap = Listener.builder("imap", new InetSocketAddress("127.0.0.1", 0), service.handler(ListenerRole.IMAP))
                .idleTimeout(ImapSettings.MIN_IDLE_TIMEOUT).build();
        Listener imaps = Listener.builder("imaps", new InetSocketAddress("127.0.0.1", 0), service.handler(ListenerRole.IMAPS))
                .implicitTls(tls::context).idleTimeout(ImapSettings.MIN_IDLE_TIMEOUT).build();
        imap.start();
        imaps.start();
        return new ImapTestServer(store, service, imap, imaps);
    }

    Store store() {
        return store;
    }

    int imapPort() {
        return imap.localAddress().getPort();
    }

    int imapsPort() {
        return imaps.localAddress().getPort();
    }

    /** The server certificate (PEM), for clients that verify it. */
    static Path certificate() throws Exception {
        return certificates().resolve("cert.pem");
    }

    /** Adds the domain if needed and an account with {@link #PASSWORD}. */
    Accounts.Account addAccount(String localPart, String domain) {
        if (store.domains().find(domain).isEmpty()) {
            store.domains().add(domain, domain.substring(0, domain.indexOf('.')).toUpperCase(java.util.Locale.ROOT));
        }
        StoredPassword p = StoredPassword.derive(FAST_HASHER, PASSWORD);
        return store.accounts().add(localPart, domain, p.passwordHash(), p.scramSha256());
    }

    /** Changes a setting; running servers read settings at most every 250 ms, so this waits that long. */
    void setting(String key, String value) {
        store.settings().set(key, value);
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers a message into a mailbox of the account, as SMTP would; returns its UID. */
    long deliver(long accountId, String message) {
        return deliver(accountId, "INBOX", message);
    }

    long deliver(long accountId, String mailbox, String message) {
        AcceptRequest request = new AcceptRequest("T" + QUEUE_IDS.incrementAndGet(), "sender@elsewhere.test",
                TestContent.of(message.getBytes(StandardCharsets.UTF_8)),
                List.of(new AcceptRequest.LocalDelivery(accountId, mailbox)), null, List.of(), false, null, null);
        return store.accept(request).delivered().getFirst().uid();
    }

    @Override
    public void close() {
        imap.close();
        imaps.close();
        service.close();
    }
}
