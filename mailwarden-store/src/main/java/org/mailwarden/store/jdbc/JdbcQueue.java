package org.mailwarden.store.jdbc;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue;

/**
 * {@link Queue} on {@code queue_message} and {@code queue_recipient} (one row per recipient with its delivery
 * state). A claim is a lease on recipient rows ({@code lease_holder}, {@code lease_expires} by the database
 * clock) taken in one write transaction: PostgreSQL selects the rows {@code FOR UPDATE SKIP LOCKED}, so
 * concurrent nodes pass each other instead of waiting; SQLite serialises write transactions anyway.
 */
final class JdbcQueue implements Queue {

    private static final String SELECT_MESSAGE = "SELECT m.id, m.queue_id, m.sender, m.created, m.size, m.blob_id, "
            + "m.notify_allowed, m.envid, m.ret, m.notice FROM queue_message m ";
    private static final String SELECT_RECIPIENT = "SELECT r.message_id, r.id, r.address, r.orcpt, r.dsn_notify, "
            + "r.state, r.attempts, r.next_attempt, r.last_reply, r.remote_mta, r.last_attempt, r.notice_due, "
            + "r.delay_notified FROM queue_recipient r ";
    private static final String UNFINISHED = "r.state IN ('PENDING', 'DEFERRED')";

    private final Database db;
    private final BlobStore blobs;
    private final String now;

    JdbcQueue(Database db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
        this.now = db.dialect().nowMillis();
    }

    /** Queues an accepted message for its foreign recipients, all due now; runs in the accept transaction. */
    static void insert(Connection c, AcceptRequest r, long blobId, long size, Instant now) throws SQLException {
        long id = Sql.number(c, "INSERT INTO queue_message (queue_id, sender, created, size, blob_id, notify_allowed, "
                        + "envid, ret, notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                r.queueId(), r.sender(), now.toEpochMilli(), size, blobId, r.notifyAllowed(), r.envid(), r.ret(),
                r.notice());
        for (AcceptRequest.OutboundRecipient rcpt : r.outbound()) {
            Sql.update(c, "INSERT INTO queue_recipient (message_id, address, orcpt, dsn_notify, state, attempts, "
                            + "next_attempt, last_reply) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)",
                    id, rcpt.address(), rcpt.orcpt(), rcpt.dsnNotify(), RecipientState.PENDING.name(), now.toEpochMilli());
        }
    }

    @Override
    public List<QueuedMessage> list() {
        return db.read(c -> withRecipients(
                Sql.list(c, SELECT_MESSAGE + "ORDER BY m.id", JdbcQueue::message),
                Sql.list(c, SELECT_RECIPIENT + "ORDER BY r.message_id, r.id", JdbcQueue::recipient)));
    }

    @Override
    public Optional<QueuedMessage> find(String queueId) {
        return db.read(c -> find(c, queueId));
    }

    private static Optional<QueuedMessage> find(Connection c, String queueId) throws SQLException {
        List<QueuedMessage> found = withRecipients(
                Sql.list(c, SELECT_MESSAGE + "WHERE m.queue_id = ?", JdbcQueue::message, queueId),
                Sql.list(c, SELECT_RECIPIENT + "JOIN queue_message m ON m.id = r.message_id WHERE m.queue_id = ? "
                        + "ORDER BY r.id", JdbcQueue::recipient, queueId));
        return found.stream().findFirst();
    }

    private static QueuedMessage existing(Connection c, String queueId) throws SQLException {
        return find(c, queueId).orElseThrow(() -> Names.notFound("queue entry " + queueId + " does not exist"));
    }

    @Override
    public InputStream openBody(QueuedMessage message) {
        return blobs.open(message.blobId(), message.size());
    }

    @Override
    public void retryNow(String queueId) {
        db.write(c -> Sql.update(c, "UPDATE queue_recipient SET next_attempt = ? WHERE message_id = ? AND state IN (?, ?)",
                Instant.now().toEpochMilli(), existing(c, queueId).id(),
                RecipientState.PENDING.name(), RecipientState.DEFERRED.name()));
    }

    @Override
    public int retryAllNow() {
        return db.write(c -> Sql.update(c, "UPDATE queue_recipient SET next_attempt = ? WHERE state IN (?, ?)",
                Instant.now().toEpochMilli(), RecipientState.PENDING.name(), RecipientState.DEFERRED.name()));
    }

    @Override
    public void delete(String queueId) {
        db.write(c -> {
            QueuedMessage m = existing(c, queueId);
            Sql.update(c, "DELETE FROM queue_message WHERE id = ?", m.id());
            MailboxRows.reclaimBlobs(c, List.of(m.blobId()));
            return null;
        });
    }

    @Override
    public List<QueuedMessage> claimDue(String holder, Instant due, Duration lease, int limit) {
        long leaseMillis = positive(lease);
        if (limit <= 0) {
            return List.of();
        }
        String skipLocked = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        return db.write(c -> {
            List<Long> ids = Sql.list(c, "SELECT r.id FROM queue_recipient r WHERE " + UNFINISHED
                    + " AND r.next_attempt <= ? AND r.lease_expires <= " + now
                    + " ORDER BY r.next_attempt, r.id LIMIT ?" + skipLocked, rs -> rs.getLong(1), due.toEpochMilli(), limit);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<Rcpt> rcpts = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += Sql.IN_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + Sql.IN_CHUNK));
                Object[] params = new Object[chunk.size() + 2];
                params[0] = holder;
                params[1] = leaseMillis;
                for (int i = 0; i < chunk.size(); i++) {
                    params[i + 2] = chunk.get(i);
                }
                Sql.update(c, "UPDATE queue_recipient SET lease_holder = ?, lease_expires = " + now + " + ? WHERE id IN ("
                        + Sql.marks(chunk.size()) + ")", params);
                rcpts.addAll(Sql.list(c, SELECT_RECIPIENT + "WHERE r.id IN (" + Sql.marks(chunk.size()) + ")",
                        JdbcQueue::recipient, chunk.toArray()));
            }
            List<Long> messageIds = rcpts.stream().map(Rcpt::messageId).distinct().toList();
            List<Head> heads = new ArrayList<>(messageIds.size());
            for (int from = 0; from < messageIds.size(); from += Sql.IN_CHUNK) {
                List<Long> chunk = messageIds.subList(from, Math.min(messageIds.size(), from + Sql.IN_CHUNK));
                heads.addAll(Sql.list(c, SELECT_MESSAGE + "WHERE m.id IN (" + Sql.marks(chunk.size()) + ")",
                        JdbcQueue::message, chunk.toArray()));
            }
            return inOrder(heads, rcpts);
        });
    }

    @Override
    public int renewClaims(String holder, Duration lease) {
        long leaseMillis = positive(lease);
        return db.write(c -> Sql.update(c, "UPDATE queue_recipient SET lease_expires = " + now + " + ? "
                + "WHERE lease_holder = ? AND state IN ('PENDING', 'DEFERRED')", leaseMillis, holder));
    }

    @Override
    public void releaseClaims(String holder) {
        db.write(c -> Sql.update(c, "UPDATE queue_recipient SET lease_holder = NULL, lease_expires = 0 "
                + "WHERE lease_holder = ?", holder));
    }

    @Override
    public void record(Collection<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        long ended = Instant.now().toEpochMilli();
        db.write(c -> {
            for (Attempt a : attempts) {
                // A finished recipient is never due again; its next_attempt only records when it finished.
                long next = a.state() == RecipientState.DEFERRED ? a.nextAttempt().toEpochMilli() : ended;
                Sql.update(c, "UPDATE queue_recipient SET state = ?, attempts = attempts + 1, "
                                + "next_attempt = ?, last_reply = ?, remote_mta = ?, last_attempt = ?, "
                                + "notice_due = COALESCE(?, notice_due), delay_notified = (delay_notified OR ?), "
                                + "lease_holder = NULL, lease_expires = 0 WHERE id = ? AND state IN ('PENDING', 'DEFERRED')",
                        a.state().name(), next, a.reply(), a.remoteMta(), ended,
                        a.notice() == null ? null : a.notice().name(), a.notice() == Notice.DELAYED, a.recipientId());
            }
            return null;
        });
    }

    @Override
    public List<QueuedMessage> noticesDue(int limit) {
        return db.read(c -> {
            List<Head> heads = Sql.list(c, SELECT_MESSAGE + "WHERE m.id IN (SELECT r.message_id FROM queue_recipient r "
                    + "WHERE r.notice_due IS NOT NULL) ORDER BY m.id LIMIT ?", JdbcQueue::message, limit);
            List<Rcpt> rcpts = new ArrayList<>();
            for (Head h : heads) {
                rcpts.addAll(Sql.list(c, SELECT_RECIPIENT + "WHERE r.message_id = ? AND r.notice_due IS NOT NULL ORDER BY r.id",
                        JdbcQueue::recipient, h.message().id()));
            }
            return withRecipients(heads, rcpts);
        });
    }

    @Override
    public void noticesSent(Collection<Long> recipientIds) {
        List<Long> ids = List.copyOf(recipientIds);
        db.write(c -> {
            for (int from = 0; from < ids.size(); from += Sql.IN_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + Sql.IN_CHUNK));
                Sql.update(c, "UPDATE queue_recipient SET notice_due = NULL WHERE id IN (" + Sql.marks(chunk.size()) + ")",
                        chunk.toArray());
            }
            return null;
        });
    }

    @Override
    public List<String> removeFinished(int limit) {
        return db.write(c -> {
            record Finished(long id, String queueId, long blobId) {
            }
            List<Finished> done = Sql.list(c, "SELECT m.id, m.queue_id, m.blob_id FROM queue_message m WHERE NOT EXISTS "
                            + "(SELECT 1 FROM queue_recipient r WHERE r.message_id = m.id AND (" + UNFINISHED
                            + " OR r.notice_due IS NOT NULL)) ORDER BY m.id LIMIT ?",
                    rs -> new Finished(rs.getLong(1), rs.getString(2), rs.getLong(3)), limit);
            for (Finished f : done) {
                Sql.update(c, "DELETE FROM queue_message WHERE id = ?", f.id());
            }
            MailboxRows.reclaimBlobs(c, done.stream().map(Finished::blobId).distinct().toList());
            return done.stream().map(Finished::queueId).toList();
        });
    }

    private static long positive(Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw Names.invalid("a claim needs a positive lease");
        }
        return lease.toMillis();
    }

    /** A message row before its recipients are attached. */
    private record Head(QueuedMessage message) {
    }

    private record Rcpt(long messageId, QueuedRecipient recipient) {
    }

    private static List<QueuedMessage> withRecipients(List<Head> heads, List<Rcpt> rcpts) {
        Map<Long, List<QueuedRecipient>> byMessage = new LinkedHashMap<>();
        for (Rcpt r : rcpts) {
            byMessage.computeIfAbsent(r.messageId(), k -> new ArrayList<>()).add(r.recipient());
        }
        List<QueuedMessage> out = new ArrayList<>(heads.size());
        for (Head h : heads) {
            out.add(attach(h.message(), byMessage.getOrDefault(h.message().id(), List.of())));
        }
        return out;
    }

    /** Messages in the order their first recipient appears in {@code rcpts}. */
    private static List<QueuedMessage> inOrder(List<Head> heads, List<Rcpt> rcpts) {
        Map<Long, QueuedMessage> byId = new LinkedHashMap<>();
        for (Head h : heads) {
            byId.put(h.message().id(), h.message());
        }
        Map<Long, List<QueuedRecipient>> byMessage = new LinkedHashMap<>();
        for (Rcpt r : rcpts) {
            byMessage.computeIfAbsent(r.messageId(), k -> new ArrayList<>()).add(r.recipient());
        }
        List<QueuedMessage> out = new ArrayList<>(byMessage.size());
        byMessage.forEach((id, list) -> out.add(attach(byId.get(id), list)));
        return out;
    }

    private static QueuedMessage attach(QueuedMessage m, List<QueuedRecipient> recipients) {
        return new QueuedMessage(m.id(), m.queueId(), m.sender(), m.created(), m.size(), m.blobId(), m.notifyAllowed(),
                m.envid(), m.ret(), m.notice(), recipients);
    }

    private static Head message(ResultSet rs) throws SQLException {
        return new Head(new QueuedMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), rs.getLong(6), rs.getBoolean(7), rs.getString(8),
                rs.getString(9), rs.getBoolean(10), List.of()));
    }

    private static Rcpt recipient(ResultSet rs) throws SQLException {
        long lastAttempt = rs.getLong(11);
        Instant last = rs.wasNull() ? null : Instant.ofEpochMilli(lastAttempt);
        String notice = rs.getString(12);
        return new Rcpt(rs.getLong(1), new QueuedRecipient(rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), RecipientState.valueOf(rs.getString(6)), rs.getInt(7),
                Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), rs.getString(10), last,
                notice == null ? null : Notice.valueOf(notice), rs.getBoolean(13)));
    }
}
