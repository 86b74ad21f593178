package org.mailwarden.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.mailwarden.store.Mailboxes.Appended;

/**
 * The row-level steps every mailbox writer shares (account creation, IMAP CREATE and APPEND, accepted
 * mail): creating a mailbox with a fresh UIDVALIDITY, and adding a message with the next UID and a new
 * MODSEQ. They run inside the caller's transaction.
 */
final class MailboxRows {

    /** The mailboxes every account gets, with their RFC 6154 special-use attributes. */
    record Default(String name, String specialUse) {
    }

    static final List<Default> DEFAULTS = List.of(
            new Default(Names.INBOX, null),
            new Default("Drafts", "\\Drafts"),
            new Default("Sent", "\\Sent"),
            new Default("Trash", "\\Trash"),
            new Default("Junk", "\\Junk"),
            new Default("Archive", "\\Archive"));

    private MailboxRows() {
    }

    /**
     * Inserts a mailbox. UIDVALIDITY comes from a store-wide counter (seeded with the install time), so a
     * mailbox deleted and created again under the same name never reuses one.
     */
    static long insert(Connection c, long accountId, String name, String specialUse, boolean subscribed)
            throws SQLException {
        long uidValidity = Sql.number(c,
                "UPDATE counter SET value = value + 1 WHERE name = 'uidvalidity' RETURNING value");
        return Sql.number(c, "INSERT INTO mailbox (account_id, name, uid_validity, uid_next, highest_modseq, "
                        + "special_use, subscribed) VALUES (?, ?, ?, 1, 1, ?, ?) RETURNING id",
                accountId, name, uidValidity, specialUse, subscribed);
    }

    static void insertDefaults(Connection c, long accountId) throws SQLException {
        for (Default d : DEFAULTS) {
            insert(c, accountId, d.name(), d.specialUse(), true);
        }
    }

    static Optional<Long> findId(Connection c, long accountId, String canonicalName) throws SQLException {
        return Sql.one(c, "SELECT id FROM mailbox WHERE account_id = ? AND name = ?", rs -> rs.getLong(1),
                accountId, canonicalName);
    }

    /** Adds a message with the mailbox's next UID and a new MODSEQ; NOT_FOUND when the mailbox is gone. */
    static Appended insertMessage(Connection c, long mailboxId, long blobId, long size, String flags,
                                  long internalDate) throws SQLException {
        long[] uidModSeqValidity = Sql.one(c, "UPDATE mailbox SET uid_next = uid_next + 1, "
                        + "highest_modseq = highest_modseq + 1 WHERE id = ? "
                        + "RETURNING uid_next - 1, highest_modseq, uid_validity",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, mailboxId)
                .orElseThrow(() -> Names.notFound("mailbox " + mailboxId + " does not exist"));
        Sql.update(c, "INSERT INTO message (mailbox_id, uid, modseq, flags, internal_date, size, blob_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                mailboxId, uidModSeqValidity[0], uidModSeqValidity[1], flags, internalDate, size, blobId);
        return new Appended(mailboxId, uidModSeqValidity[2], uidModSeqValidity[0]);
    }

    /** Deletes blob rows that no message and no queued message reference any more. */
    static void reclaimBlobs(Connection c, List<Long> blobIds) throws SQLException {
        for (long id : blobIds) {
            Sql.update(c, "DELETE FROM blob WHERE id = ? AND NOT EXISTS (SELECT 1 FROM message WHERE blob_id = ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM queue_message WHERE blob_id = ?)", id, id, id);
        }
    }

    /** The distinct blobs referenced by the messages that a WHERE clause on {@code message} selects. */
    static List<Long> blobsWhere(Connection c, String where, Object... params) throws SQLException {
        return Sql.list(c, "SELECT DISTINCT blob_id FROM message WHERE " + where, rs -> rs.getLong(1), params);
    }
}
