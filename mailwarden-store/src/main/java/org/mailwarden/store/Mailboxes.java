package org.mailwarden.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.mime.MessageStructure;

/**
 * Mailboxes and the messages in them, in the model IMAP4rev2 needs (POP3 reads INBOX through it too):
 * per-mailbox UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ; per message a UID, a MODSEQ, flags, the internal
 * date, the exact size in octets and a reference to its body blob. Names use {@code /} as hierarchy
 * delimiter; INBOX is matched case-insensitively. Bodies are read as streams, never loaded whole.
 *
 * <p>Every change to a mailbox's messages (new message, flag change, expunge) takes a new MODSEQ from the
 * mailbox, in commit order, and expunges are recorded with theirs; so a session that remembers the
 * HIGHESTMODSEQ it has seen learns everything that happened since with {@link #changesSince}, whichever
 * session, process or node made the change. Each body's MIME structure is computed once when it is
 * stored (see {@link #structure}).
 */
public interface Mailboxes {

    record Mailbox(long id, long accountId, String name, long uidValidity, long uidNext, long highestModSeq,
                   String specialUse, boolean subscribed) {
    }

    record MessageEntry(long id, long mailboxId, long uid, long modSeq, Set<String> flags, Instant internalDate,
                        long size, long blobId) {
        public MessageEntry {
            flags = Set.copyOf(flags);
        }
    }

    /** The result of an append: where it went and which UID it got (for APPENDUID). */
    record Appended(long mailboxId, long uidValidity, long uid) {
    }

    /**
     * What changed in a mailbox after a MODSEQ: the mailbox's state when read, the messages that are new
     * or got new flags (in UID order, with their current state) and the UIDs expunged since.
     */
    record Changes(Mailbox mailbox, List<MessageEntry> changed, List<Long> expunged) {
        public Changes {
            changed = List.copyOf(changed);
            expunged = List.copyOf(expunged);
        }
    }

    /** How STORE changes flags. */
    enum FlagOperation { ADD, REMOVE, REPLACE }

    /**
     * The outcome of {@link #updateFlags}: messages whose flags changed (each with a new MODSEQ), those
     * that already had the requested flags, and the UIDs refused because they changed after the
     * UNCHANGEDSINCE MODSEQ (RFC 7162).
     */
    record FlagUpdate(List<MessageEntry> updated, List<MessageEntry> unchanged, List<Long> conflicts) {
        public FlagUpdate {
            updated = List.copyOf(updated);
            unchanged = List.copyOf(unchanged);
            conflicts = List.copyOf(conflicts);
        }
    }

    /** The UIDs of copied or moved messages, pairwise in source UID order, for COPYUID (RFC 4315). */
    record Copied(long uidValidity, List<Long> sourceUids, List<Long> targetUids) {
        public Copied {
            sourceUids = List.copyOf(sourceUids);
            targetUids = List.copyOf(targetUids);
        }
    }

    List<Mailbox> list(long accountId);

    Optional<Mailbox> find(long accountId, String name);

    /** The mailbox with this id, while it exists (it keeps its id when renamed). */
    Optional<Mailbox> get(long mailboxId);

    /** The current state of several mailboxes in one query (change polling); ids that are gone are left out. */
    List<Mailbox> get(Collection<Long> mailboxIds);

    /** DUPLICATE when the name exists. {@code specialUse} (such as {@code \Sent}) may be null. */
    Mailbox create(long accountId, String name, String specialUse);

    /** Renames a mailbox and its children; renaming INBOX moves its messages to the new mailbox (RFC 9051). */
    void rename(long accountId, String from, String to);

    /** Deletes a mailbox and its messages. INVALID for INBOX. */
    void delete(long accountId, String name);

    void setSubscribed(long accountId, String name, boolean subscribed);

    /** The messages of a mailbox in UID order. */
    List<MessageEntry> messages(long mailboxId);

    /** The messages of a mailbox with the given UIDs, in UID order; UIDs that do not exist are left out. */
    List<MessageEntry> messages(long mailboxId, Collection<Long> uids);

    /**
     * What changed in a mailbox after {@code modSeq}; empty when the mailbox no longer exists. A change
     * committed after this call has a MODSEQ above the returned mailbox's HIGHESTMODSEQ.
     */
    Optional<Changes> changesSince(long mailboxId, long modSeq);

    /** Streams the stored body of a message: exactly {@code size} octets. */
    InputStream openBody(MessageEntry message);

    /** Streams {@code length} octets of a message from {@code offset} (a BODY[section] slice). */
    InputStream openBody(MessageEntry message, long offset, long length);

    /**
     * The first {@code counts.get(i)} octets (at most its size) of each message's body, in the order
     * given, null for a message whose body is gone: the header blocks of many messages in a few queries
     * (IMAP SEARCH of a header field over a mailbox) instead of opening each body.
     */
    List<byte[]> bodyPrefixes(List<MessageEntry> messages, List<Integer> counts);

    /**
     * The MIME structure of a message's body, as computed when it was stored; computed now (and kept)
     * for a body stored without one. NOT_FOUND when the message was expunged and its body reclaimed.
     */
    MessageStructure structure(MessageEntry message);

    /** {@link #structure} for many messages with few queries; the result is in the order given. */
    List<MessageStructure> structures(List<MessageEntry> messages);

    /**
     * Stores a message into a mailbox durably (IMAP APPEND), through the same group commit as accepted
     * mail. Returns only when it is on stable storage.
     */
    Appended append(long mailboxId, MessageContent content, Set<String> flags, Instant internalDate);

    /**
     * Replaces the flags of the given messages, each getting a new MODSEQ; returns the updated entries.
     */
    List<MessageEntry> setFlags(long mailboxId, Collection<Long> uids, Set<String> flags);

    /**
     * Changes the flags of the given messages as one transaction: adds, removes or replaces
     * {@code flags}. Only messages whose flags actually change get a new MODSEQ. With
     * {@code unchangedSince} at 0 or above, messages whose MODSEQ is above it are left alone and reported
     * as conflicts; a negative value means no condition.
     */
    FlagUpdate updateFlags(long mailboxId, Collection<Long> uids, FlagOperation operation, Set<String> flags,
                           long unchangedSince);

    /**
     * Removes the given messages for good; returns the UIDs actually removed. Their blobs are reclaimed
     * once nothing references them. The removal gets a MODSEQ and is recorded for {@link #changesSince}.
     */
    List<Long> expunge(long mailboxId, Collection<Long> uids);

    /**
     * Copies messages into another mailbox (or the same one) in one transaction, keeping flags and
     * internal dates; the copies share the bodies. NOT_FOUND when the target does not exist.
     */
    Copied copy(long fromMailboxId, Collection<Long> uids, long toMailboxId);

    /** Like {@link #copy}, and expunges the originals in the same transaction (IMAP MOVE, RFC 6851). */
    Copied move(long fromMailboxId, Collection<Long> uids, long toMailboxId);
}
