package org.mailwarden.store.jdbc;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.Mailboxes;

/**
 * {@link Mailboxes} on the {@code mailbox} and {@code message} tables. UIDs and MODSEQs are allocated by
 * an atomic update of the mailbox row inside the writing transaction, so they only ever grow, whichever
 * process or node writes. Appends go through the {@link GroupCommitter} like accepted mail.
 */
final class JdbcMailboxes implements Mailboxes {

    private static final String SELECT_MAILBOX = "SELECT id, account_id, name, uid_validity, uid_next, "
            + "highest_modseq, special_use, subscribed FROM mailbox ";
    private static final String SELECT_MESSAGE = "SELECT id, mailbox_id, uid, modseq, flags, internal_date, size, "
            + "blob_id FROM message ";

    private final Database db;
    private final BlobStore blobs;
    private final GroupCommitter committer;

    JdbcMailboxes(Database db, BlobStore blobs, GroupCommitter committer) {
        this.db = db;
        this.blobs = blobs;
        this.committer = committer;
    }

    @Override
    public List<Mailbox> list(long accountId) {
        return db.read(c -> Sql.list(c, SELECT_MAILBOX + "WHERE account_id = ? ORDER BY name", JdbcMailboxes::mailbox,
                accountId));
    }

    @Override
    public Optional<Mailbox> find(long accountId, String name) {
        String canonical = Names.mailbox(name);
        return db.read(c -> find(c, accountId, canonical));
    }

    private static Optional<Mailbox> find(Connection c, long accountId, String canonical) throws SQLException {
        return Sql.one(c, SELECT_MAILBOX + "WHERE account_id = ? AND name = ?", JdbcMailboxes::mailbox,
                accountId, canonical);
    }

    private static Mailbox existing(Connection c, long accountId, String canonical) throws SQLException {
        return find(c, accountId, canonical)
                .orElseThrow(() -> Names.notFound("mailbox " + canonical + " does not exist"));
    }

    @Override
    public Mailbox create(long accountId, String name, String specialUse) {
        String canonical = Names.mailbox(name);
        return db.write(c -> {
            if (!Sql.exists(c, "SELECT 1 FROM account WHERE id = ?", accountId)) {
                throw Names.notFound("account " + accountId + " does not exist");
            }
            if (find(c, accountId, canonical).isPresent()) {
                throw Names.duplicate("mailbox " + canonical + " already exists");
            }
            MailboxRows.insert(c, accountId, canonical, specialUse, false);
            return find(c, accountId, canonical).orElseThrow();
        });
    }

    @Override
    public void rename(long accountId, String from, String to) {
        String source = Names.mailbox(from);
        String target = Names.mailbox(to);
        db.write(c -> {
            Mailbox box = existing(c, accountId, source);
            if (find(c, accountId, target).isPresent()) {
                throw Names.duplicate("mailbox " + target + " already exists");
            }
            if (Names.isInbox(source)) {
                renameInbox(c, box, target);
            } else {
                renameTree(c, accountId, source, target);
            }
            return null;
        });
    }

    /**
     * RFC 9051: renaming INBOX moves its messages to a new mailbox and leaves INBOX empty; INBOX's
     * children stay where they are. The new mailbox has a new UIDVALIDITY, so the messages keep their UIDs.
     */
    private static void renameInbox(Connection c, Mailbox inbox, String target) throws SQLException {
        long id = MailboxRows.insert(c, inbox.accountId(), target, null, inbox.subscribed());
        Sql.update(c, "UPDATE mailbox SET uid_next = ?, highest_modseq = ? WHERE id = ?",
                inbox.uidNext(), inbox.highestModSeq(), id);
        Sql.update(c, "UPDATE message SET mailbox_id = ? WHERE mailbox_id = ?", id, inbox.id());
        Sql.update(c, "UPDATE mailbox SET highest_modseq = highest_modseq + 1 WHERE id = ?", inbox.id());
    }

    /** Renames a mailbox and every mailbox below it. */
    private static void renameTree(Connection c, long accountId, String source, String target) throws SQLException {
        String prefix = source + Names.DELIMITER;
        if (target.startsWith(prefix)) {
            throw Names.invalid("mailbox " + source + " cannot be moved into itself (" + target + ")");
        }
        List<Mailbox> tree = new ArrayList<>();
        for (Mailbox m : Sql.list(c, SELECT_MAILBOX + "WHERE account_id = ?", JdbcMailboxes::mailbox, accountId)) {
            if (m.name().equals(source) || m.name().startsWith(prefix)) {
                tree.add(m);
            }
        }
        for (Mailbox m : tree) {
            String renamed = Names.mailbox(target + m.name().substring(source.length()));
            if (find(c, accountId, renamed).isPresent()) {
                throw Names.duplicate("mailbox " + renamed + " already exists");
            }
        }
        for (Mailbox m : tree) {
            Sql.update(c, "UPDATE mailbox SET name = ? WHERE id = ?", target + m.name().substring(source.length()), m.id());
        }
    }

    @Override
    public void delete(long accountId, String name) {
        String canonical = Names.mailbox(name);
        if (Names.isInbox(canonical)) {
            throw Names.invalid("INBOX cannot be deleted");
        }
        db.write(c -> {
            Mailbox box = existing(c, accountId, canonical);
            List<Long> blobIds = MailboxRows.blobsWhere(c, "mailbox_id = ?", box.id());
            Sql.update(c, "DELETE FROM mailbox WHERE id = ?", box.id());
            MailboxRows.reclaimBlobs(c, blobIds);
            return null;
        });
    }

    @Override
    public void setSubscribed(long accountId, String name, boolean subscribed) {
        String canonical = Names.mailbox(name);
        db.write(c -> Sql.update(c, "UPDATE mailbox SET subscribed = ? WHERE id = ?", subscribed,
                existing(c, accountId, canonical).id()));
    }

    @Override
    public List<MessageEntry> messages(long mailboxId) {
        return db.read(c -> Sql.list(c, SELECT_MESSAGE + "WHERE mailbox_id = ? ORDER BY uid", JdbcMailboxes::message,
                mailboxId));
    }

    @Override
    public InputStream openBody(MessageEntry message) {
        return blobs.open(message.blobId(), message.size());
    }

    @Override
    public Appended append(long mailboxId, MessageContent content, Set<String> flags, Instant internalDate) {
        String stored = Names.flags(flags);
        long date = (internalDate == null ? Instant.now() : internalDate).toEpochMilli();
        return committer.submit(List.of(content), (c, bodies) -> MailboxRows.insertMessage(c, mailboxId,
                bodies.getFirst().blobId(), bodies.getFirst().length(), stored, date));
    }

    @Override
    public List<MessageEntry> setFlags(long mailboxId, Collection<Long> uids, Set<String> flags) {
        String stored = Names.flags(flags);
        return db.write(c -> {
            List<MessageEntry> found = select(c, mailboxId, uids);
            if (found.isEmpty()) {
                return List.of();
            }
            long last = Sql.number(c, "UPDATE mailbox SET highest_modseq = highest_modseq + ? WHERE id = ? "
                    + "RETURNING highest_modseq", (long) found.size(), mailboxId);
            long modSeq = last - found.size();
            List<MessageEntry> updated = new ArrayList<>(found.size());
            for (MessageEntry m : found) {
                modSeq++;
                Sql.update(c, "UPDATE message SET flags = ?, modseq = ? WHERE id = ?", stored, modSeq, m.id());
                updated.add(new MessageEntry(m.id(), m.mailboxId(), m.uid(), modSeq, Names.parseFlags(stored),
                        m.internalDate(), m.size(), m.blobId()));
            }
            return updated;
        });
    }

    @Override
    public List<Long> expunge(long mailboxId, Collection<Long> uids) {
        return db.write(c -> {
            List<MessageEntry> found = select(c, mailboxId, uids);
            if (found.isEmpty()) {
                return List.of();
            }
            Set<Long> blobIds = new TreeSet<>();
            List<Long> removed = new ArrayList<>(found.size());
            for (MessageEntry m : found) {
                Sql.update(c, "DELETE FROM message WHERE id = ?", m.id());
                blobIds.add(m.blobId());
                removed.add(m.uid());
            }
            // Expunges are changes too: CONDSTORE/QRESYNC clients learn of them through HIGHESTMODSEQ.
            Sql.update(c, "UPDATE mailbox SET highest_modseq = highest_modseq + 1 WHERE id = ?", mailboxId);
            MailboxRows.reclaimBlobs(c, List.copyOf(blobIds));
            return removed;
        });
    }

    /** The messages of a mailbox with the given UIDs, in UID order; UIDs that do not exist are skipped. */
    private static List<MessageEntry> select(Connection c, long mailboxId, Collection<Long> uids) throws SQLException {
        List<Long> sorted = List.copyOf(new TreeSet<>(uids));
        List<MessageEntry> out = new ArrayList<>(sorted.size());
        for (int from = 0; from < sorted.size(); from += Sql.IN_CHUNK) {
            List<Long> chunk = sorted.subList(from, Math.min(sorted.size(), from + Sql.IN_CHUNK));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = mailboxId;
            for (int i = 0; i < chunk.size(); i++) {
                params[i + 1] = chunk.get(i);
            }
            out.addAll(Sql.list(c, SELECT_MESSAGE + "WHERE mailbox_id = ? AND uid IN (" + Sql.marks(chunk.size())
                    + ") ORDER BY uid", JdbcMailboxes::message, params));
        }
        return out;
    }

    private static Mailbox mailbox(ResultSet rs) throws SQLException {
        return new Mailbox(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), rs.getBoolean(8));
    }

    private static MessageEntry message(ResultSet rs) throws SQLException {
        return new MessageEntry(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                Names.parseFlags(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)), rs.getLong(7), rs.getLong(8));
    }
}
