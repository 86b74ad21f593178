package org.mailwarden.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the delivery status notices that attempts made due ({@link NoticePolicy} decided who may get one):
 * builds each with {@link DsnBuilder} and hands it to the store like any accepted message — straight into
 * the INBOX when the addressee is local, into the outbound queue (from the null sender, marked as a notice)
 * when not. Driven by durable queue state, so a notice due before a crash is sent after it. A notice that
 * could not be delivered goes to the local postmaster only, never into the queue again.
 */
final class Notices {

    private static final Logger LOG = LoggerFactory.getLogger(Notices.class);
    private static final int BATCH = 20;
    private static final int MAX_RETURNED_HEADERS = 64 * 1024;

    private final Store store;
    private final String hostname;
    private final Clock clock;
    private final LocalRecipients local;

    Notices(Store store, String hostname, Clock clock) {
        this.store = store;
        this.hostname = hostname;
        this.clock = clock;
        this.local = new LocalRecipients(store);
    }

    /** Sends up to one batch of due notices; returns how many messages were handled. */
    int sendDue(OutboundSettings settings) {
        List<QueuedMessage> due = store.queue().noticesDue(BATCH);
        for (QueuedMessage m : due) {
            try {
                send(m, settings);
                store.queue().noticesSent(m.recipients().stream().map(QueuedRecipient::id).toList());
            } catch (StoreException | IOException e) {
                LOG.warn("notice about queue={} not sent yet: {}", m.queueId(), e.getMessage());
            }
        }
        return due.size();
    }

    private void send(QueuedMessage m, OutboundSettings settings) throws IOException {
        Notice kind = kind(m);
        String noticeId = m.queueId() + "-" + kind.name().charAt(0) + m.recipients().getFirst().id();
        if (m.notice()) {
            Optional<LocalRecipients.Local> postmaster = local.postmaster(settings.postmaster());
            if (postmaster.isEmpty()) {
                LOG.warn("notice queue={} could not be delivered and there is no local postmaster ({}) to tell;"
                        + " dropped", m.queueId(), settings.postmaster());
                return;
            }
            deliverLocally(noticeId, m, postmaster.get(), settings, kind);
            return;
        }
        if (m.sender().isEmpty() || !m.notifyAllowed()) {
            // NoticePolicy never makes these due; refusing here too keeps backscatter impossible.
            LOG.warn("notice about queue={} suppressed: sender <{}> may not receive notices", m.queueId(), m.sender());
            return;
        }
        Optional<LocalRecipients.Local> sender = local.resolve(m.sender());
        if (sender.isPresent()) {
            if (sender.get().accounts().isEmpty()) {
                LOG.warn("notice about queue={} dropped: local sender <{}> has no mailbox", m.queueId(), m.sender());
                return;
            }
            deliverLocally(noticeId, m, sender.get(), settings, kind);
            return;
        }
        byte[] dsn = build(m, m.sender(), settings, kind);
        try {
            store.accept(new AcceptRequest(noticeId, "", null, List.of(), bytes(dsn),
                    List.of(new AcceptRequest.OutboundRecipient(m.sender(), null, "NEVER")), false, null, null, true));
            LOG.info("notice queue={} about={} kind={} to=<{}> queued", noticeId, m.queueId(), kind, m.sender());
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.DUPLICATE) {
                throw e;
            }
            // Queued before a crash kept us from marking it sent.
        }
    }

    private void deliverLocally(String noticeId, QueuedMessage m, LocalRecipients.Local to, OutboundSettings settings,
                                Notice kind) throws IOException {
        byte[] dsn = build(m, to.address().toSmtpForm(), settings, kind);
        byte[] withReturnPath = concat("Return-Path: <>\r\n".getBytes(StandardCharsets.US_ASCII), dsn);
        store.accept(new AcceptRequest(noticeId, "", bytes(withReturnPath),
                to.accounts().stream().map(id -> new AcceptRequest.LocalDelivery(id, "INBOX")).toList(),
                null, List.of(), false, null, null));
        LOG.info("notice queue={} about={} kind={} to=<{}> delivered to the local mailbox", noticeId, m.queueId(), kind,
                to.address());
    }

    private byte[] build(QueuedMessage m, String to, OutboundSettings settings, Notice kind) throws IOException {
        boolean full = kind == Notice.FAILED && ("FULL".equals(m.ret()) || m.notice())
                && m.size() <= settings.maxReturnedSize();
        byte[] returned;
        try (InputStream in = store.queue().openBody(m)) {
            returned = full ? in.readNBytes((int) m.size()) : headers(in);
        }
        Instant now = clock.instant();
        return DsnBuilder.build(new DsnBuilder.Report(hostname, to, m, returned, full, now,
                settings.schedule().expiry(m.created())));
    }

    /** The notice's main kind: a failure if any recipient failed, else a delay, else a relay report. */
    private static Notice kind(QueuedMessage m) {
        if (m.recipients().stream().anyMatch(r -> r.noticeDue() == Notice.FAILED)) {
            return Notice.FAILED;
        }
        return m.recipients().stream().anyMatch(r -> r.noticeDue() == Notice.DELAYED) ? Notice.DELAYED : Notice.RELAYED;
    }

    /** The header section of a message, through its empty line, at most 64 KiB cut at a line end. */
    static byte[] headers(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineHasText = false;
        int lastLineEnd = 0;
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            if (b == '\n') {
                lastLineEnd = out.size();
                if (!lineHasText) {
                    break;
                }
                lineHasText = false;
            } else if (b != '\r') {
                lineHasText = true;
            }
            if (out.size() >= MAX_RETURNED_HEADERS) {
                return Arrays.copyOf(out.toByteArray(), lastLineEnd);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static MessageContent bytes(byte[] content) {
        return new MessageContent() {
            @Override
            public long size() {
                return content.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }
        };
    }
}
