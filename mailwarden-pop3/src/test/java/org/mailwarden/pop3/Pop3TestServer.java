package org.mailwarden.pop3;

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
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;

/**
 * A POP3 server for tests: a {@link Pop3Service} on a real store, with a plain listener (STLS) and an
 * implicit-TLS listener on 127.0.0.1 at free ports, a self-signed certificate, fast password hashing and
 * a throttle without delays (unless a test passes its own). Messages go into INBOX through the store's
 * accept, as SMTP delivers them.
 */
final class Pop3TestServer implements AutoCloseable {

    static final String HOST = "mx.example.test";
    static final PasswordHasher FAST_HASHER = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    private static final AtomicInteger QUEUE_IDS = new AtomicInteger();

    private final Store store;
    private final Listener pop3;
    private final Listener pop3s;

    private Pop3TestServer(Store store, Listener pop3, Listener pop3s) {
        this.store = store;
        this.pop3 = pop3;
        this.pop3s = pop3s;
    }

    static AuthThrottle noDelayThrottle() {
        return new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 1000, 1000, Duration.ZERO,
                Duration.ZERO, Duration.ofMinutes(15), 10_000), Clock.systemUTC());
    }

    static Pop3TestServer start(Store store, Path tlsDir) throws Exception {
        return start(store, tlsDir, noDelayThrottle(), MaildropLocks.DEFAULT_TTL);
    }

    static Pop3TestServer start(Store store, Path tlsDir, AuthThrottle throttle, Duration lockTtl) throws Exception {
        TlsSupport tls = TlsSupport.open(tlsDir.resolve("cert.pem"), tlsDir.resolve("key.pem"), HOST);
        Pop3Service service = new Pop3Service(store, RuntimeConfig.follow(store), HOST, tls::context,
                new Authenticator(store.accounts(), FAST_HASHER), throttle, lockTtl);
        Listener pop3 = Listener.builder("pop3", new InetSocketAddress("127.0.0.1", 0), service.handler(ListenerRole.POP3))
                .idleTimeout(Pop3Settings.MIN_IDLE_TIMEOUT).build();
        Listener pop3s = Listener.builder("pop3s", new InetSocketAddress("127.0.0.1", 0), service.handler(ListenerRole.POP3S))
                .implicitTls(tls::context).idleTimeout(Pop3Settings.MIN_IDLE_TIMEOUT).build();
        pop3.start();
        pop3s.start();
        return new Pop3TestServer(store, pop3, pop3s);
    }

    Store store() {
        return store;
    }

    int pop3Port() {
        return pop3.localAddress().getPort();
    }

    int pop3sPort() {
        return pop3s.localAddress().getPort();
    }

    /** Adds the domain if needed (with its short name) and an account with {@code password}. */
    Accounts.Account addAccount(String localPart, String domain, String shortName, String password) {
        if (store.domains().find(domain).isEmpty()) {
            store.domains().add(domain, shortName);
        }
        StoredPassword p = StoredPassword.derive(FAST_HASHER, password);
        return store.accounts().add(localPart, domain, p.passwordHash(), p.scramSha256());
    }

    /** Lets USER/PASS and PLAIN/LOGIN work without TLS on every listener. */
    void allowPlaintext() {
        store.settings().set("pop3.allow_plaintext", "on");
        awaitSettings();
    }

    /** Settings are re-read at most every 250 ms; a test that just changed one waits that long. */
    static void awaitSettings() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers a message into the account's INBOX, as SMTP would; returns its UID. */
    long deliver(long accountId, String message) {
        return deliver(accountId, message.getBytes(StandardCharsets.UTF_8));
    }

    long deliver(long accountId, byte[] message) {
        return deliver(accountId, TestContent.of(message));
    }

    long deliver(long accountId, MessageContent content) {
        AcceptRequest request = new AcceptRequest("T" + QUEUE_IDS.incrementAndGet(), "sender@elsewhere.test", content,
                List.of(new AcceptRequest.LocalDelivery(accountId, "INBOX")), null, List.of(), false, null, null);
        return store.accept(request).delivered().getFirst().uid();
    }

    Mailboxes.Mailbox inbox(long accountId) {
        return store.mailboxes().find(accountId, "INBOX").orElseThrow();
    }

    List<Mailboxes.MessageEntry> inboxMessages(long accountId) {
        return store.mailboxes().messages(inbox(accountId).id());
    }

    @Override
    public void close() throws InterruptedException {
        pop3.shutdown(Duration.ofSeconds(5));
        pop3s.shutdown(Duration.ofSeconds(5));
    }
}
