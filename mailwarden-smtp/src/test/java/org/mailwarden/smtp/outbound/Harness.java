package org.mailwarden.smtp.outbound;

import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/**
 * A store with a local domain and user, a test clock, settings the test can change, and a delivery service
 * started on demand; plus helpers to queue mail and read a local INBOX with Jakarta Mail.
 */
final class Harness implements AutoCloseable {

    static final String HOSTNAME = "mx.mailwarden.test";
    /** The test clock starts a minute ahead of the real one, which stamps queued mail, so queued mail is due. */
    static final Instant START = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    final Store store;
    final MutableClock clock = new MutableClock(START);
    final Map<String, String> settings = new ConcurrentHashMap<>();
    final Account alice;
    private DeliveryService service;
    private ClientTls tls;
    private ClientTimeouts timeouts = ClientTimeouts.all(Duration.ofSeconds(5));
    private int queued;

    Harness(Path dir) {
        this(TestStores.sqlite(dir));
    }

    Harness(Store store) {
        this.store = store;
        store.domains().add("example.test", null);
        alice = store.accounts().add("alice", "example.test", "hash", null);
    }

    Harness tls(ClientTls t) {
        this.tls = t;
        return this;
    }

    Harness timeouts(ClientTimeouts t) {
        this.timeouts = t;
        return this;
    }

    /** Stops the running delivery service (the store stays open) and starts a new one. */
    DeliveryService restart() {
        service.close();
        return start();
    }

    DeliveryService start() {
        service = DeliveryService.builder(store, HOSTNAME).settings(() -> new HashMap<>(settings)).clock(clock)
                .tls(tls == null ? ClientTls.system() : tls).timeouts(timeouts).pollInterval(Duration.ofMillis(50)).start();
        return service;
    }

    /** Queues a message for foreign recipients; returns its queue id. */
    String queue(String sender, boolean notifyAllowed, String body, String... recipients) {
        return queue(sender, notifyAllowed, TestContent.of(body), null, recipients);
    }

    String queue(String sender, boolean notifyAllowed, MessageContent body, String ret, String... recipients) {
        String id = "Q" + (++queued) + "X" + Long.toHexString(System.nanoTime() & 0xffff);
        List<AcceptRequest.OutboundRecipient> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(new AcceptRequest.OutboundRecipient(r, null, null));
        }
        store.accept(new AcceptRequest(id, sender, null, List.of(), body, rcpts, notifyAllowed, null, ret));
        return id;
    }

    QueuedRecipient recipient(String queueId, String address) {
        return store.queue().find(queueId).orElseThrow().recipients().stream().filter(r -> r.address().equals(address))
                .findFirst().orElseThrow();
    }

    boolean gone(String queueId) {
        return store.queue().find(queueId).isEmpty();
    }

    void waitFor(BooleanSupplier condition) {
        new Waiter().until(condition);
    }

    /** Waits up to 20 seconds for a condition, for tests without a harness. */
    static final class Waiter {
        void until(BooleanSupplier condition) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        }
    }

    List<MessageEntry> inbox(Account account) {
        long inbox = store.mailboxes().find(account.id(), "INBOX").orElseThrow().id();
        return store.mailboxes().messages(inbox);
    }

    MimeMessage read(MessageEntry entry) throws Exception {
        try (InputStream in = store.mailboxes().openBody(entry)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    String text(MessageEntry entry) throws IOException {
        try (InputStream in = store.mailboxes().openBody(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    List<QueuedMessage> queue() {
        return store.queue().list();
    }

    @Override
    public void close() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            store.close();
        }
    }
}
