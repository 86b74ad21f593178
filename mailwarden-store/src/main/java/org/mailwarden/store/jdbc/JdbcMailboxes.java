package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.StoreException;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.mime.MimeScanner;
import org.mailwarden.store.mime.StructureCodec;

/**
 * {@link Mailboxes} on the {@code mailbox} and {@code message} tables. UIDs and MODSEQs are allocated by
 * an atomic update of the mailbox row inside the writing transaction, so they only ever grow, whichever
 * process or node writes; the row lock that allocation takes also orders the commits, so MODSEQs become
 * visible in order. Expunges are recorded in {@code expunged} with their MODSEQ. Appends go through the
 * {@link GroupCommitter} like accepted mail, with the body's MIME structure computed beforehand.
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

    @Override
    public Optional<Mailbox> get(long mailboxId) {
        return db.read(c -> byId(c, mailboxId));
    }

    private static Optional<Mailbox> byId(Connection c, long mailboxId) throws SQLException {
        return Sql.one(c, SELECT_MAILBOX + "WHERE id = ?", JdbcMailboxes::mailbox, mailboxId);
    }

    @Override
    public List<Mailbox> get(Collection<Long> mailboxIds) {
        List<Long> ids = List.copyOf(new TreeSet<>(mailboxIds));
        return db.read(c -> {
            List<Mailbox> out = new ArrayList<>(ids.size());
            for (int from = 0; from < ids.size(); from += Sql.IN_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + Sql.IN_CHUNK));
                out.addAll(Sql.list(c, SELECT_MAILBOX + "WHERE id IN (" + Sql.marks(chunk.size()) + ")",
                        JdbcMailboxes::mailbox, chunk.toArray()));
            }
            return out;
        });
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
        // For sessions that have INBOX selected the messages are expunged.
        long modSeq = nextModSeqs(c, inbox.id(), 1);
        Sql.update(c, "INSERT INTO expunged (mailbox_id, uid, modseq) SELECT mailbox_id, uid, ? FROM message "
                + "WHERE mailbox_id = ?", modSeq, inbox.id());
        Sql.update(c, "UPDATE message SET mailbox_id = ? WHERE mailbox_id = ?", id, inbox.id());
    }

    /** Takes {@code count} new MODSEQs from a mailbox and returns the last; NOT_FOUND when it is gone. */
    private static long nextModSeqs(Connection c, long mailboxId, int count) throws SQLException {
        return Sql.one(c, "UPDATE mailbox SET highest_modseq = highest_modseq + ? WHERE id = ? RETURNING highest_modseq",
                        rs -> rs.getLong(1), (long) count, mailboxId)
                .orElseThrow(() -> Names.notFound("mailbox " + mailboxId + " does not exist"));
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
    public List<MessageEntry> messages(long mailboxId, Collection<Long> uids) {
        return db.read(c -> select(c, mailboxId, uids));
    }

    @Override
    public Optional<Changes> changesSince(long mailboxId, long modSeq) {
        return db.read(c -> {
            Optional<Mailbox> box = byId(c, mailboxId);
            if (box.isEmpty()) {
                return Optional.empty();
            }
            long upTo = box.get().highestModSeq();
            if (upTo <= modSeq) {
                return Optional.of(new Changes(box.get(), List.of(), List.of()));
            }
            List<MessageEntry> changed = Sql.list(c, SELECT_MESSAGE + "WHERE mailbox_id = ? AND modseq > ? AND modseq <= ? "
                    + "ORDER BY uid", JdbcMailboxes::message, mailboxId, modSeq, upTo);
            List<Long> expunged = Sql.list(c, "SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? AND modseq <= ? "
                    + "ORDER BY uid", rs -> rs.getLong(1), mailboxId, modSeq, upTo);
            return Optional.of(new Changes(box.get(), changed, expunged));
        });
    }

    @Override
    public InputStream openBody(MessageEntry message) {
        return blobs.open(message.blobId(), message.size());
    }

    @Override
    public InputStream openBody(MessageEntry message, long offset, long length) {
        return blobs.open(message.blobId(), message.size(), offset, length);
    }

    @Override
    public List<byte[]> bodyPrefixes(List<MessageEntry> messages, List<Integer> counts) {
        List<BlobStore.Prefix> wanted = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            MessageEntry m = messages.get(i);
            wanted.add(new BlobStore.Prefix(m.blobId(), m.size(), counts.get(i)));
        }
        try {
            return blobs.prefixes(wanted);
        } catch (IOException e) {
            throw Database.translate(e);
        }
    }

    @Override
    public MessageStructure structure(MessageEntry message) {
        return structures(List.of(message)).getFirst();
    }

    @Override
    public List<MessageStructure> structures(List<MessageEntry> messages) {
        List<Long> blobIds = messages.stream().map(MessageEntry::blobId).distinct().toList();
        Map<Long, MessageStructure> known = new HashMap<>();
        db.read(c -> {
            for (int from = 0; from < blobIds.size(); from += Sql.IN_CHUNK) {
                List<Long> chunk = blobIds.subList(from, Math.min(blobIds.size(), from + Sql.IN_CHUNK));
                for (Object[] row : Sql.list(c, "SELECT blob_id, data FROM blob_structure WHERE blob_id IN ("
                        + Sql.marks(chunk.size()) + ")", rs -> new Object[] {rs.getLong(1), rs.getBytes(2)}, chunk.toArray())) {
                    try {
                        known.put((Long) row[0], StructureCodec.decode((byte[]) row[1]));
                    } catch (IllegalArgumentException damaged) {
                        // computed again below
                    }
                }
            }
            return null;
        });
        List<MessageStructure> out = new ArrayList<>(messages.size());
        for (MessageEntry m : messages) {
            out.add(known.computeIfAbsent(m.blobId(), id -> computeStructure(m)));
        }
        return out;
    }

    /** Computes and keeps the structure of a body stored without one. */
    private MessageStructure computeStructure(MessageEntry m) {
        MessageStructure s;
        try (InputStream in = openBody(m)) {
            s = MimeScanner.scan(in);
        } catch (IOException e) {
            throw Database.translate(e);
        }
        byte[] data = StructureCodec.encode(s);
        try {
            db.write(c -> {
                Structures.save(c, m.blobId(), data);
                return null;
            });
        } catch (StoreException e) {
            // the body was reclaimed meanwhile: the structure is still right for this caller
        }
        return s;
    }

    @Override
    public Appended append(long mailboxId, MessageContent content, Set<String> flags, Instant internalDate) {
        String stored = Names.flags(flags);
        long date = (internalDate == null ? Instant.now() : internalDate).toEpochMilli();
        byte[] structure = Structures.compute(content);
        return committer.submit(List.of(content), (c, bodies) -> {
            Appended appended = MailboxRows.insertMessage(c, mailboxId, bodies.getFirst().blobId(),
                    bodies.getFirst().length(), stored, date);
            Structures.save(c, bodies.getFirst().blobId(), structure);
            return appended;
        });
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
    public FlagUpdate updateFlags(long mailboxId, Collection<Long> uids, FlagOperation operation, Set<String> flags,
                                  long unchangedSince) {
        Names.flags(flags);
        return db.write(c -> {
            List<MessageEntry> updated = new ArrayList<>();
            List<MessageEntry> unchanged = new ArrayList<>();
            List<Long> conflicts = new ArrayList<>();
            List<MessageEntry> toChange = new ArrayList<>();
            List<String> newFlags = new ArrayList<>();
            for (MessageEntry m : select(c, mailboxId, uids)) {
                if (unchangedSince >= 0 && m.modSeq() > unchangedSince) {
                    conflicts.add(m.uid());
                    continue;
                }
                Set<String> result = apply(m.flags(), operation, flags);
                if (sameFlags(result, m.flags())) {
                    unchanged.add(m);
                } else {
                    toChange.add(m);
                    newFlags.add(Names.flags(result));
                }
            }
            if (!toChange.isEmpty()) {
                long modSeq = nextModSeqs(c, mailboxId, toChange.size()) - toChange.size();
                for (int i = 0; i < toChange.size(); i++) {
                    MessageEntry m = toChange.get(i);
                    modSeq++;
                    Sql.update(c, "UPDATE message SET flags = ?, modseq = ? WHERE id = ?", newFlags.get(i), modSeq, m.id());
                    updated.add(new MessageEntry(m.id(), m.mailboxId(), m.uid(), modSeq, Names.parseFlags(newFlags.get(i)),
                            m.internalDate(), m.size(), m.blobId()));
                }
            }
            return new FlagUpdate(updated, unchanged, conflicts);
        });
    }

    /** Keywords compare case-insensitively (RFC 9051): one keeps the spelling it was first stored with. */
    private static Set<String> apply(Set<String> current, FlagOperation operation, Set<String> flags) {
        Set<String> out = new LinkedHashSet<>();
        switch (operation) {
            case REPLACE -> out.addAll(flags);
            case ADD -> {
                out.addAll(current);
                for (String f : flags) {
                    if (!containsIgnoreCase(out, f)) {
                        out.add(f);
                    }
                }
            }
            case REMOVE -> {
                for (String f : current) {
                    if (!containsIgnoreCase(flags, f)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    private static boolean containsIgnoreCase(Collection<String> set, String flag) {
        for (String f : set) {
            if (f.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFlags(Set<String> a, Set<String> b) {
        Set<String> la = new TreeSet<>();
        a.forEach(f -> la.add(f.toLowerCase(Locale.ROOT)));
        Set<String> lb = new TreeSet<>();
        b.forEach(f -> lb.add(f.toLowerCase(Locale.ROOT)));
        return la.equals(lb);
    }

    @Override
    public List<Long> expunge(long mailboxId, Collection<Long> uids) {
        return db.write(c -> {
            List<MessageEntry> found = select(c, mailboxId, uids);
            removeMessages(c, mailboxId, found);
            Set<Long> blobIds = new TreeSet<>();
            found.forEach(m -> blobIds.add(m.blobId()));
            MailboxRows.reclaimBlobs(c, List.copyOf(blobIds));
            return found.stream().map(MessageEntry::uid).toList();
        });
    }

    /** Deletes message rows and records their UIDs as expunged under one new MODSEQ. */
    private static void removeMessages(Connection c, long mailboxId, List<MessageEntry> found) throws SQLException {
        if (found.isEmpty()) {
            return;
        }
        long modSeq = nextModSeqs(c, mailboxId, 1);
        for (MessageEntry m : found) {
            Sql.update(c, "DELETE FROM message WHERE id = ?", m.id());
            Sql.update(c, "INSERT INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)", mailboxId, m.uid(), modSeq);
        }
    }

    @Override
    public Copied copy(long fromMailboxId, Collection<Long> uids, long toMailboxId) {
        return db.write(c -> copy(c, fromMailboxId, uids, toMailboxId, false));
    }

    @Override
    public Copied move(long fromMailboxId, Collection<Long> uids, long toMailboxId) {
        return db.write(c -> copy(c, fromMailboxId, uids, toMailboxId, true));
    }

    private static Copied copy(Connection c, long from, Collection<Long> uids, long to, boolean move) throws SQLException {
        Mailbox target = byId(c, to).orElseThrow(() -> Names.notFound("mailbox " + to + " does not exist"));
        List<MessageEntry> found = select(c, from, uids);
        List<Long> sources = new ArrayList<>(found.size());
        List<Long> targets = new ArrayList<>(found.size());
        for (MessageEntry m : found) {
            Appended a = MailboxRows.insertMessage(c, to, m.blobId(), m.size(), Names.flags(m.flags()),
                    m.internalDate().toEpochMilli());
            sources.add(m.uid());
            targets.add(a.uid());
        }
        if (move) {
            removeMessages(c, from, found);
        }
        return new Copied(target.uidValidity(), sources, targets);
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
