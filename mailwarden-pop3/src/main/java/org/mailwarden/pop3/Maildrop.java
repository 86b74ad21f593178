package org.mailwarden.pop3;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;

/**
 * The INBOX as one POP3 session sees it: the messages present at login, numbered from 1 in UID order and
 * never renumbered (RFC 1939 §5), with the session's deletion marks. Marks live only here until QUIT
 * hands {@link #markedUids()} to the store; RSET clears them. Sizes are the stored octet counts, which is
 * exactly what RETR sends before dot-stuffing. Not thread-safe; one per session.
 */
final class Maildrop {

    private final Mailbox mailbox;
    private final List<MessageEntry> messages;
    private final BitSet deleted = new BitSet();

    Maildrop(Mailbox mailbox, List<MessageEntry> messages) {
        this.mailbox = mailbox;
        this.messages = List.copyOf(messages);
    }

    Mailbox mailbox() {
        return mailbox;
    }

    /** How many messages the session started with, deleted ones included: the highest valid number. */
    int size() {
        return messages.size();
    }

    /** Messages not marked deleted. */
    int count() {
        return messages.size() - deleted.cardinality();
    }

    /** Octets of the messages not marked deleted. */
    long octets() {
        long total = 0;
        for (int n = 1; n <= messages.size(); n++) {
            if (!isDeleted(n)) {
                total += entry(n).size();
            }
        }
        return total;
    }

    boolean exists(long number) {
        return number >= 1 && number <= messages.size();
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    /** The message numbered {@code number}, which must {@linkplain #exists exist}. */
    MessageEntry entry(int number) {
        return messages.get(number - 1);
    }

    /**
     * The unique-id listing of a message (RFC 1939 §7 UIDL): UIDVALIDITY and UID, so it survives restarts
     * and never names another message, even after the mailbox is recreated (a new UIDVALIDITY).
     */
    String uniqueId(int number) {
        return mailbox.uidValidity() + "." + entry(number).uid();
    }

    void markDeleted(int number) {
        deleted.set(number - 1);
    }

    /** RSET: unmarks every message; returns how many were marked. */
    int unmarkAll() {
        int marked = deleted.cardinality();
        deleted.clear();
        return marked;
    }

    int markedCount() {
        return deleted.cardinality();
    }

    /** The UIDs to expunge at QUIT. */
    List<Long> markedUids() {
        List<Long> uids = new ArrayList<>(deleted.cardinality());
        deleted.stream().forEach(i -> uids.add(messages.get(i).uid()));
        return uids;
    }
}
