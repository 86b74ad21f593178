package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.response.ResponseWriter;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.Changes;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;

/**
 * A session's view of its selected mailbox: the messages in sequence-number order with the flags and
 * MODSEQ the client was last told, and the mailbox's HIGHESTMODSEQ as far as the view goes. Other
 * sessions' changes reach the view only through {@link #sync}, which the session calls where RFC 9051
 * allows untagged updates; expunges wait while a FETCH, STORE or SEARCH is answered (their sequence
 * numbers must not move), so the view may keep messages that are gone until it may report them.
 */
final class SelectedMailbox {

    static final List<String> SYSTEM_FLAGS = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft");

    /** Thrown when the selected mailbox was deleted by another session. */
    static final class MailboxGoneException extends Exception {
        MailboxGoneException() {
            super("the selected mailbox was deleted", null, false, false);
        }
    }

    private final Mailboxes store;
    private final long id;
    private final String name;
    private final long uidValidity;
    private final boolean readOnly;
    private final List<MessageEntry> messages;
    private final TreeSet<Long> pendingExpunges = new TreeSet<>();
    private final TreeMap<String, String> keywords = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private long highestModSeq;
    private long uidNext;

    private SelectedMailbox(Mailboxes store, Mailbox box, boolean readOnly, List<MessageEntry> messages) {
        this.store = store;
        this.id = box.id();
        this.name = box.name();
        this.uidValidity = box.uidValidity();
        this.readOnly = readOnly;
        this.messages = new ArrayList<>(messages);
        this.highestModSeq = box.highestModSeq();
        this.uidNext = box.uidNext();
        messages.forEach(this::learnKeywords);
    }

    /**
     * Opens the view: the mailbox state is read before the messages, so anything that changes in between
     * is reported again by the first sync and applied idempotently.
     */
    static SelectedMailbox open(Mailboxes store, Mailbox box, boolean readOnly) {
        Mailbox state = store.get(box.id()).orElse(box);
        return new SelectedMailbox(store, state, readOnly, store.messages(box.id()));
    }

    long id() {
        return id;
    }

    String name() {
        return name;
    }

    long uidValidity() {
        return uidValidity;
    }

    boolean readOnly() {
        return readOnly;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    long uidNext() {
        return uidNext;
    }

    int size() {
        return messages.size();
    }

    /** The message with sequence number {@code seq} (1-based). */
    MessageEntry get(long seq) {
        return messages.get((int) seq - 1);
    }

    List<MessageEntry> messages() {
        return List.copyOf(messages);
    }

    /** The sequence number of a UID in the view, or -1. */
    int seqOf(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = messages.get(mid).uid();
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return mid + 1;
            }
        }
        return -1;
    }

    long maxUid() {
        return messages.isEmpty() ? 0 : messages.getLast().uid();
    }

    /** The sequence numbers a set names, limited to the view (the caller handles {@code $}). */
    NumberSet sequenceNumbers(SequenceSet set) {
        return set.resolve(messages.size()).intersect(NumberSet.range(1, messages.size()));
    }

    /** The UIDs of the view that a UID set names ({@code n:*} always includes the largest UID). */
    NumberSet uids(SequenceSet set) {
        return uidsWithin(set.resolve(maxUid()));
    }

    /** The UIDs of the view that are in {@code named}. */
    NumberSet uidsWithin(NumberSet named) {
        NumberSet.Builder out = new NumberSet.Builder();
        for (MessageEntry m : messages) {
            if (named.contains(m.uid())) {
                out.add(m.uid());
            }
        }
        return out.build();
    }

    /** The sequence numbers of the given UIDs that are in the view. */
    NumberSet sequenceNumbersOfUids(NumberSet uids) {
        NumberSet.Builder out = new NumberSet.Builder();
        for (int i = 0; i < messages.size(); i++) {
            if (uids.contains(messages.get(i).uid())) {
                out.add(i + 1);
            }
        }
        return out.build();
    }

    /** The flags the FLAGS response lists: the system flags and every keyword in use. */
    List<String> flags() {
        List<String> out = new ArrayList<>(SYSTEM_FLAGS);
        out.addAll(keywords.values());
        return out;
    }

    private boolean learnKeywords(MessageEntry m) {
        boolean learned = false;
        for (String f : m.flags()) {
            if (!f.startsWith("\\") && !keywords.containsKey(f)) {
                keywords.put(f, f);
                learned = true;
            }
        }
        return learned;
    }

    /** Takes the session's own flag changes into the view (their FETCH responses are the command's). */
    boolean update(Collection<MessageEntry> changed) {
        boolean learned = false;
        for (MessageEntry m : changed) {
            int seq = seqOf(m.uid());
            if (seq > 0) {
                messages.set(seq - 1, m);
                learned |= learnKeywords(m);
            }
        }
        return learned;
    }

    /**
     * Removes messages the session itself expunged (EXPUNGE, CLOSE's silent expunge aside, MOVE) and
     * reports them: {@code * n EXPUNGE} from the highest sequence number down, or one {@code VANISHED}.
     */
    void expunged(Collection<Long> uids, ResponseWriter out, boolean qresync) throws IOException {
        report(new TreeSet<>(uids), out, qresync);
    }

    /**
     * Brings the view up to date and tells the client: new flags ({@code FETCH}), expunges (unless
     * {@code allowExpunge} is false, e.g. during FETCH), then the new message count ({@code EXISTS}).
     *
     * @param condstore whether to include MODSEQ in the FETCH responses
     */
    void sync(ResponseWriter out, boolean allowExpunge, boolean condstore, boolean qresync)
            throws IOException, MailboxGoneException {
        Optional<Changes> found = store.changesSince(id, highestModSeq);
        if (found.isEmpty()) {
            throw new MailboxGoneException();
        }
        Changes changes = found.get();
        long maxUid = maxUid();
        List<MessageEntry> fresh = new ArrayList<>();
        boolean learned = false;
        for (MessageEntry m : changes.changed()) {
            int seq = seqOf(m.uid());
            if (seq > 0) {
                MessageEntry known = messages.get(seq - 1);
                if (known.modSeq() != m.modSeq()) {
                    messages.set(seq - 1, m);
                    learned |= learnKeywords(m);
                    if (!sameFlags(known.flags(), m.flags()) || condstore) {
                        flagUpdate(out, seq, m, condstore);
                    }
                }
            } else if (m.uid() > maxUid) {
                fresh.add(m);
            }
        }
        for (long uid : changes.expunged()) {
            if (seqOf(uid) > 0) {
                pendingExpunges.add(uid);
            }
        }
        highestModSeq = changes.mailbox().highestModSeq();
        uidNext = changes.mailbox().uidNext();
        if (allowExpunge && !pendingExpunges.isEmpty()) {
            report(new TreeSet<>(pendingExpunges), out, qresync);
        }
        for (MessageEntry m : fresh) {
            learned |= learnKeywords(m);
        }
        if (learned) {
            flagsResponse(out);
        }
        if (!fresh.isEmpty()) {
            messages.addAll(fresh);
            out.untagged(messages.size() + " EXISTS");
        }
    }

    /** Whether some messages of the view are known to be expunged but not reported yet. */
    boolean hasPendingExpunges() {
        return !pendingExpunges.isEmpty();
    }

    boolean isPendingExpunge(long uid) {
        return pendingExpunges.contains(uid);
    }

    void flagsResponse(ResponseWriter out) throws IOException {
        out.untagged("FLAGS (" + String.join(" ", flags()) + ")");
    }

    static void flagUpdate(ResponseWriter out, long seq, MessageEntry m, boolean condstore) throws IOException {
        StringBuilder line = new StringBuilder();
        line.append(seq).append(" FETCH (UID ").append(m.uid()).append(" FLAGS (")
                .append(String.join(" ", sortedFlags(m.flags()))).append(')');
        if (condstore) {
            line.append(" MODSEQ (").append(m.modSeq()).append(')');
        }
        out.untagged(line.append(')').toString());
    }

    /** System flags first in their usual order, then keywords alphabetically. */
    static List<String> sortedFlags(Set<String> flags) {
        List<String> out = new ArrayList<>();
        for (String f : SYSTEM_FLAGS) {
            if (flags.contains(f)) {
                out.add(f);
            }
        }
        flags.stream().filter(f -> !SYSTEM_FLAGS.contains(f)).sorted().forEach(out::add);
        return out;
    }

    private static boolean sameFlags(Set<String> a, Set<String> b) {
        return lower(a).equals(lower(b));
    }

    private static Set<String> lower(Set<String> flags) {
        Set<String> out = new TreeSet<>();
        flags.forEach(f -> out.add(f.toLowerCase(Locale.ROOT)));
        return out;
    }

    private void report(TreeSet<Long> uids, ResponseWriter out, boolean qresync) throws IOException {
        List<Integer> seqs = new ArrayList<>();
        for (long uid : uids) {
            int seq = seqOf(uid);
            if (seq > 0) {
                seqs.add(seq);
            }
        }
        pendingExpunges.removeAll(uids);
        if (seqs.isEmpty()) {
            return;
        }
        if (qresync) {
            NumberSet.Builder vanished = new NumberSet.Builder();
            seqs.forEach(s -> vanished.add(messages.get(s - 1).uid()));
            out.untagged("VANISHED " + vanished.build());
        } else {
            for (int i = seqs.size() - 1; i >= 0; i--) {
                out.untagged(seqs.get(i) + " EXPUNGE");
            }
        }
        Set<Long> gone = new TreeSet<>(uids);
        messages.removeIf(m -> gone.contains(m.uid()));
    }
}
