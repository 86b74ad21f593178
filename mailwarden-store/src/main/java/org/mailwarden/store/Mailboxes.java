package org.mailwarden.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailwarden.core.io.MessageContent;

/**
 * Mailboxes and the messages in them, in the model IMAP4rev2 needs (POP3 reads INBOX through it too):
 * per-mailbox UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ; per message a UID, a MODSEQ, flags, the internal
 * date, the exact size in octets and a reference to its body blob. Names use {@code /} as hierarchy
 * delimiter; INBOX is matched case-insensitively. Bodies are read as streams, never loaded whole.
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

    List<Mailbox> list(long accountId);

    Optional<Mailbox> find(long accountId, String name);

    /** DUPLICATE when the name exists. {@code specialUse} (such as {@code \Sent}) may be null. */
    Mailbox create(long accountId, String name, String specialUse);

    /** Renames a mailbox and its children; renaming INBOX moves its messages to the new mailbox (RFC 9051). */
    void rename(long accountId, String from, String to);

    /** Deletes a mailbox and its messages. INVALID for INBOX. */
    void delete(long accountId, String name);

    void setSubscribed(long accountId, String name, boolean subscribed);

    /** The messages of a mailbox in UID order. */
    List<MessageEntry> messages(long mailboxId);

    /** Streams the stored body of a message: exactly {@code size} octets. */
    InputStream openBody(MessageEntry message);

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
     * Removes the given messages for good; returns the UIDs actually removed. Their blobs are reclaimed
     * once nothing references them.
     */
    List<Long> expunge(long mailboxId, Collection<Long> uids);
}
