package org.mailwarden.imap.session;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailwarden.imap.fetch.FetchItems;
import org.mailwarden.imap.fetch.FetchRenderer;
import org.mailwarden.imap.fetch.SectionReader;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.FlagOperation;
import org.mailwarden.store.Mailboxes.FlagUpdate;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.StoreException;
import org.mailwarden.store.mime.MessageStructure;

/**
 * FETCH and UID FETCH of every item, with CONDSTORE's CHANGEDSINCE and QRESYNC's VANISHED. Structures
 * are loaded in batches (computed when the messages were stored), bodies streamed section by section;
 * fetching a body without PEEK sets \Seen first, so the new flags appear in the same response.
 */
final class FetchCommand implements Command.Action {

    private static final int BATCH = 500;

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        args.sp();
        SequenceSet set = args.sequenceSet();
        args.sp();
        FetchItems items = FetchItems.parse(args);
        args.end();
        if (items.vanished() && (!uid || !s.qresync() || items.changedSince() < 0)) {
            throw ImapParseException.bad("VANISHED needs UID FETCH, QRESYNC enabled and CHANGEDSINCE");
        }
        if (items.changedSince() >= 0 || items.has(FetchItems.Item.MODSEQ)) {
            s.enableCondstore();
        }
        SelectedMailbox view = s.selected();
        NumberSet seqs = uid ? view.sequenceNumbersOfUids(Sets.uids(s, set)) : Sets.sequenceNumbers(s, set);
        if (items.vanished()) {
            vanished(s, set, items.changedSince());
        }
        List<Long> targets = seqs.toList();
        boolean flagsChanged = items.setsSeen() && !view.readOnly() && markSeen(s, view, targets);
        FetchItems effective = flagsChanged && !items.has(FetchItems.Item.FLAGS) ? withFlags(items) : items;
        FetchRenderer renderer = new FetchRenderer(s.mailboxes(), s.out());
        FetchRenderer.Options options = new FetchRenderer.Options(uid,
                s.condstore() && (effective.has(FetchItems.Item.FLAGS) || items.changedSince() >= 0));
        // a mailbox has few distinct flag sets: each is sorted and joined once per command, not per message
        Map<Set<String>, String> flagLists = new HashMap<>();
        boolean missing = false;
        boolean unknownEncoding = false;
        for (int from = 0; from < targets.size(); from += BATCH) {
            List<Long> batch = targets.subList(from, Math.min(targets.size(), from + BATCH));
            // the messages as stored now; those expunged meanwhile are missing
            Map<Long, MessageEntry> stored = new HashMap<>();
            for (MessageEntry m : s.mailboxes().messages(view.id(), batch.stream().map(view::uid).toList())) {
                stored.put(m.uid(), m);
            }
            List<Long> seqsFound = new ArrayList<>();
            List<MessageEntry> entries = new ArrayList<>();
            for (long seq : batch) {
                MessageEntry m = stored.get(view.uid(seq));
                if (m == null && effective.viewOnly()) {
                    // expunged by another session, not reported yet: what the client asks is in the view
                    m = new MessageEntry(0, view.id(), view.uid(seq), view.modSeq(seq), view.flags(seq), Instant.EPOCH, 0, 0);
                }
                if (m == null) {
                    missing = true;
                } else if (items.changedSince() < 0 || m.modSeq() > items.changedSince()) {
                    seqsFound.add(seq);
                    entries.add(m);
                }
            }
            List<MessageStructure> structures = effective.needsStructure() ? structures(s, entries) : null;
            List<MessageEntry> told = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                MessageEntry m = entries.get(i);
                MessageStructure structure = structures == null ? null : structures.get(i);
                if (structures != null && structure == null) {
                    missing = true;
                    continue;
                }
                try {
                    String flags = effective.has(FetchItems.Item.FLAGS)
                            ? flagLists.computeIfAbsent(m.flags(), f -> String.join(" ", SelectedMailbox.sortedFlags(f)))
                            : null;
                    renderer.write(seqsFound.get(i), m, structure, flags, effective, options);
                    if (effective.has(FetchItems.Item.FLAGS)) {
                        told.add(m);
                    }
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.NOT_FOUND) {
                        throw e;
                    }
                    missing = true;
                } catch (SectionReader.UnknownEncodingException e) {
                    unknownEncoding = true;
                }
            }
            if (view.update(told)) {
                view.flagsResponse(s.out());
            }
            // virtual threads are not preempted: a FETCH of a whole large mailbox lets other sessions run
            // between its batches instead of holding a carrier thread for all of it
            Thread.yield();
        }
        if (unknownEncoding) {
            s.sync(uid);
            throw CommandFailed.no("UNKNOWN-CTE", "A part has a Content-Transfer-Encoding the server cannot decode");
        }
        if (missing) {
            s.sync(uid);
            throw CommandFailed.no("EXPUNGEISSUED", "Some messages were expunged meanwhile and could not be fetched");
        }
        if (uid) {
            s.ok(tag, null, "UID FETCH completed");
        } else {
            s.okWithoutExpunge(tag, null, "FETCH completed");
        }
    }

    /** Sets \Seen on the target messages that lack it; true when some changed. */
    private static boolean markSeen(ImapSession s, SelectedMailbox view, List<Long> seqs) {
        List<Long> unseen = new ArrayList<>();
        for (long seq : seqs) {
            long uid = view.uid(seq);
            if (!view.flags(seq).contains("\\Seen") && !view.isPendingExpunge(uid)) {
                unseen.add(uid);
            }
        }
        if (unseen.isEmpty()) {
            return false;
        }
        FlagUpdate update = s.mailboxes().updateFlags(view.id(), unseen, FlagOperation.ADD, Set.of("\\Seen"), -1);
        view.update(update.updated());
        s.context().monitor().changed(view.id());
        return !update.updated().isEmpty();
    }

    private static FetchItems withFlags(FetchItems items) {
        Set<FetchItems.Item> more = new java.util.HashSet<>(items.items());
        more.add(FetchItems.Item.FLAGS);
        return new FetchItems(more, items.bodies(), items.changedSince(), items.vanished());
    }

    /** The structures of a batch; null for a message whose body is gone. */
    private static List<MessageStructure> structures(ImapSession s, List<MessageEntry> entries) {
        try {
            return s.mailboxes().structures(entries);
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.NOT_FOUND) {
                throw e;
            }
            List<MessageStructure> out = new ArrayList<>(entries.size());
            for (MessageEntry m : entries) {
                try {
                    out.add(s.mailboxes().structure(m));
                } catch (StoreException gone) {
                    out.add(null);
                }
            }
            return out;
        }
    }

    /** QRESYNC: {@code * VANISHED (EARLIER) uids} of the set expunged since the client's MODSEQ. */
    private static void vanished(ImapSession s, SequenceSet set, long since) throws IOException {
        if (set.isSavedResult()) {
            return;
        }
        NumberSet named = set.resolve(Math.max(1, s.selected().uidNext() - 1));
        var changes = s.mailboxes().changesSince(s.selected().id(), since).orElse(null);
        if (changes == null) {
            return;
        }
        NumberSet.Builder gone = new NumberSet.Builder();
        for (long uid : changes.expunged()) {
            if (named.contains(uid)) {
                gone.add(uid);
            }
        }
        NumberSet vanished = gone.build();
        if (!vanished.isEmpty()) {
            s.out().untagged("VANISHED (EARLIER) " + vanished);
        }
    }
}
