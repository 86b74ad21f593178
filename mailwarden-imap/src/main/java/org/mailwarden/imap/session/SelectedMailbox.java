package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * A session's view of its selected mailbox: the UIDs in sequence-number order with the flags and MODSEQ
 * the client was last told, and the mailbox's HIGHESTMODSEQ as far as the view goes. Other sessions'
 * changes reach the view only through {@link #sync}, which the session calls where RFC 9051 allows
 * untagged updates; expunges wait while a FETCH, STORE or SEARCH is answered (their sequence numbers
 * must not move), so the view may keep messages that are gone until it may report them.
 *
 * <p>The view is compact, because every session holds one: per message a UID, a MODSEQ and an index into
 * the few distinct flag sets of the mailbox (about 20 octets); everything else about a message is read
 * from the store when a command needs it.
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
    private long[] uids;
    private long[] modSeqs;
    private int[] flagRefs;
    private int size;
    private final List<Set<String>> flagSets = new ArrayList<>();
    private final Map<Set<String>, Integer> flagSetIndex = new HashMap<>();
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
        this.highestModSeq = box.highestModSeq();
        this.uidNext = box.uidNext();
        int n = messages.size();
        this.uids = new long[Math.max(16, n)];
        this.modSeqs = new long[uids.length];
        this.flagRefs = new int[uids.length];
        for (MessageEntry m : messages) {
            append(m);
        }
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
        return size;
    }

    /** The UID of message {@code seq} (1-based). */
    long uid(long seq) {
        return uids[(int) seq - 1];
    }

    /** The flags the client was last told for message {@code seq}. */
    Set<String> flags(long seq) {
        return flagSets.get(flagRefs[(int) seq - 1]);
    }

    /** The MODSEQ the client was last told for message {@code seq}. */
    long modSeq(long seq) {
        return modSeqs[(int) seq - 1];
    }

    /** The sequence number of a UID in the view, or -1. */
    int seqOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, size, uid);
        return i >= 0 ? i + 1 : -1;
    }

    long maxUid() {
        return size == 0 ? 0 : uids[size - 1];
    }

    /** The sequence number of the first message without \Seen, or 0. */
    int firstUnseen() {
        for (int i = 0; i < size; i++) {
            if (!flagSets.get(flagRefs[i]).contains("\\Seen")) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The sequence numbers a set names, limited to the view (the caller handles {@code $}). */
    NumberSet sequenceNumbers(SequenceSet set) {
        return set.resolve(size).intersect(NumberSet.range(1, size));
    }

    /** The UIDs of the view that a UID set names ({@code n:*} always includes the largest UID). */
    NumberSet uids(SequenceSet set) {
        return uidsWithin(set.resolve(maxUid()));
    }

    /** The UIDs of the view that are in {@code named}. */
    NumberSet uidsWithin(NumberSet named) {
        NumberSet.Builder out = new NumberSet.Builder();
        for (int i = 0; i < size; i++) {
            if (named.contains(uids[i])) {
                out.add(uids[i]);
            }
        }
        return out.build();
    }

    /** The sequence numbers of the given UIDs that are in the view. */
    NumberSet sequenceNumbersOfUids(NumberSet named) {
        NumberSet.Builder out = new NumberSet.Builder();
        for (int i = 0; i < size; i++) {
            if (named.contains(uids[i])) {
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

    private int flagRef(Set<String> flags) {
        Integer ref = flagSetIndex.get(flags);
        if (ref == null) {
            ref = flagSets.size();
            Set<String> copy = Set.copyOf(flags);
            flagSets.add(copy);
            flagSetIndex.put(copy, ref);
        }
        return ref;
    }

    private void append(MessageEntry m) {
        if (size == uids.length) {
            int capacity = uids.length * 2;
            uids = Arrays.copyOf(uids, capacity);
            modSeqs = Arrays.copyOf(modSeqs, capacity);
            flagRefs = Arrays.copyOf(flagRefs, capacity);
        }
        uids[size] = m.uid();
        modSeqs[size] = m.modSeq();
        flagRefs[size] = flagRef(m.flags());
        size++;
        learnKeywords(m.flags());
    }

    private void set(int seq, MessageEntry m) {
        modSeqs[seq - 1] = m.modSeq();
        flagRefs[seq - 1] = flagRef(m.flags());
    }

    private boolean learnKeywords(Set<String> flags) {
        boolean learned = false;
        for (String f : flags) {
            if (!f.startsWith("\\") && !keywords.containsKey(f)) {
                keywords.put(f, f);
                learned = true;
            }
        }
        return learned;
    }

    /**
     * Takes flags the session itself sent to the client (its own STORE, FETCH FLAGS) into the view;
     * returns whether a new keyword appeared, which calls for a new FLAGS response.
     */
    boolean update(Collection<MessageEntry> told) {
        boolean learned = false;
        for (MessageEntry m : told) {
            int seq = seqOf(m.uid());
            if (seq > 0 && m.modSeq() >= modSeqs[seq - 1]) {
                set(seq, m);
                learned |= learnKeywords(m.flags());
            }
        }
        return learned;
    }

    /**
     * Removes messages the session itself expunged (EXPUNGE, MOVE) and reports them: {@code * n EXPUNGE}
     * from the highest sequence number down, or one {@code VANISHED}.
     */
    void expunged(Collection<Long> gone, ResponseWriter out, boolean qresync) throws IOException {
        report(new TreeSet<>(gone), out, qresync);
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
                if (modSeqs[seq - 1] < m.modSeq()) {
                    boolean flagsChanged = !sameFlags(flags(seq), m.flags());
                    set(seq, m);
                    learned |= learnKeywords(m.flags());
                    if (flagsChanged || condstore) {
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
        highestModSeq = Math.max(highestModSeq, changes.mailbox().highestModSeq());
        uidNext = changes.mailbox().uidNext();
        if (allowExpunge && !pendingExpunges.isEmpty()) {
            report(new TreeSet<>(pendingExpunges), out, qresync);
        }
        for (MessageEntry m : fresh) {
            learned |= learnKeywords(m.flags());
        }
        if (learned) {
            flagsResponse(out);
        }
        if (!fresh.isEmpty()) {
            for (MessageEntry m : fresh) {
                append(m);
            }
            out.untagged(size + " EXISTS");
        }
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

    private void report(TreeSet<Long> gone, ResponseWriter out, boolean qresync) throws IOException {
        List<Integer> seqs = new ArrayList<>();
        for (long uid : gone) {
            int seq = seqOf(uid);
            if (seq > 0) {
                seqs.add(seq);
            }
        }
        pendingExpunges.removeAll(gone);
        if (seqs.isEmpty()) {
            return;
        }
        if (qresync) {
            NumberSet.Builder vanished = new NumberSet.Builder();
            seqs.forEach(s -> vanished.add(uids[s - 1]));
            out.untagged("VANISHED " + vanished.build());
        } else {
            for (int i = seqs.size() - 1; i >= 0; i--) {
                out.untagged(seqs.get(i) + " EXPUNGE");
            }
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!gone.contains(uids[i])) {
                uids[kept] = uids[i];
                modSeqs[kept] = modSeqs[i];
                flagRefs[kept] = flagRefs[i];
                kept++;
            }
        }
        size = kept;
    }
}
