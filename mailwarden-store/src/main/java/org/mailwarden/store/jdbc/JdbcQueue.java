package org.mailwarden.store.jdbc;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue;

/** {@link Queue} on {@code queue_message} and {@code queue_recipient} (one row per recipient with its delivery state). */
final class JdbcQueue implements Queue {

    private static final String SELECT_MESSAGE = "SELECT id, queue_id, sender, created, size, blob_id, notify_allowed, "
            + "envid, ret FROM queue_message ";
    private static final String SELECT_RECIPIENT = "SELECT r.message_id, r.id, r.address, r.orcpt, r.dsn_notify, "
            + "r.state, r.attempts, r.next_attempt, r.last_reply FROM queue_recipient r ";

    private final Database db;
    private final BlobStore blobs;

    JdbcQueue(Database db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    /** Queues an accepted message for its foreign recipients, all due now; runs in the accept transaction. */
    static void insert(Connection c, AcceptRequest r, long blobId, long size, Instant now) throws SQLException {
        long id = Sql.number(c, "INSERT INTO queue_message (queue_id, sender, created, size, blob_id, notify_allowed, "
                        + "envid, ret) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                r.queueId(), r.sender(), now.toEpochMilli(), size, blobId, r.notifyAllowed(), r.envid(), r.ret());
        for (AcceptRequest.OutboundRecipient rcpt : r.outbound()) {
            Sql.update(c, "INSERT INTO queue_recipient (message_id, address, orcpt, dsn_notify, state, attempts, "
                            + "next_attempt, last_reply) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)",
                    id, rcpt.address(), rcpt.orcpt(), rcpt.dsnNotify(), RecipientState.PENDING.name(), now.toEpochMilli());
        }
    }

    @Override
    public List<QueuedMessage> list() {
        return db.read(c -> withRecipients(
                Sql.list(c, SELECT_MESSAGE + "ORDER BY id", JdbcQueue::message),
                Sql.list(c, SELECT_RECIPIENT + "ORDER BY r.message_id, r.id", JdbcQueue::recipient)));
    }

    @Override
    public Optional<QueuedMessage> find(String queueId) {
        return db.read(c -> find(c, queueId));
    }

    private static Optional<QueuedMessage> find(Connection c, String queueId) throws SQLException {
        List<QueuedMessage> found = withRecipients(
                Sql.list(c, SELECT_MESSAGE + "WHERE queue_id = ?", JdbcQueue::message, queueId),
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
    public void delete(String queueId) {
        db.write(c -> {
            QueuedMessage m = existing(c, queueId);
            Sql.update(c, "DELETE FROM queue_message WHERE id = ?", m.id());
            MailboxRows.reclaimBlobs(c, List.of(m.blobId()));
            return null;
        });
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
            QueuedMessage m = h.message();
            out.add(new QueuedMessage(m.id(), m.queueId(), m.sender(), m.created(), m.size(), m.blobId(),
                    m.notifyAllowed(), m.envid(), m.ret(), byMessage.getOrDefault(m.id(), List.of())));
        }
        return out;
    }

    private static Head message(ResultSet rs) throws SQLException {
        return new Head(new QueuedMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), rs.getLong(6), rs.getBoolean(7), rs.getString(8),
                rs.getString(9), List.of()));
    }

    private static Rcpt recipient(ResultSet rs) throws SQLException {
        return new Rcpt(rs.getLong(1), new QueuedRecipient(rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), RecipientState.valueOf(rs.getString(6)), rs.getInt(7),
                Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9)));
    }
}
