package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.search.ScanGate;
import org.mailwarden.imap.search.SearchEngine;
import org.mailwarden.imap.search.SearchKey;
import org.mailwarden.imap.search.SearchParser;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.MessageEntry;


/**
 * SEARCH and UID SEARCH with CHARSET (UTF-8 and US-ASCII), ESEARCH's RETURN (MIN MAX COUNT ALL),
 * SEARCHRES's SAVE and {@code $}, and CONDSTORE's MODSEQ. IMAP4rev2 clients (and any RETURN) get
 * ESEARCH responses, IMAP4rev1 clients the classic SEARCH response.
 */
final class SearchCommand implements Command {

    @Override
    public Set<ImapSession.State> states() {
        return States.SELECTED;
    }

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        args.sp();
        Set<String> returns = null;
        if (args.peekWord("RETURN")) {
            args.keyword();
            args.sp();
            returns = new LinkedHashSet<>();
            args.openList();
            if (args.peek() != ')') {
                do {
                    String option = args.keyword();
                    if (!List.of("MIN", "MAX", "ALL", "COUNT", "SAVE").contains(option)) {
                        throw ImapParseException.bad("unknown SEARCH return option " + option);
                    }
                    returns.add(option);
                } while (args.take(' '));
            }
            args.closeList();
            args.sp();
            if (returns.isEmpty()) {
                returns.add("ALL");
            }
        }
        if (args.peekWord("CHARSET")) {
            args.keyword();
            args.sp();
            String charset = args.astring().toUpperCase(Locale.ROOT);
            if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
                throw CommandFailed.no("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + charset);
            }
            args.sp();
        }
        SearchKey key;
        try {
            key = SearchParser.parse(args);
        } catch (ImapParseException e) {
            if (returns != null && returns.contains("SAVE")) {
                s.saveUids(NumberSet.EMPTY);
            }
            throw e;
        }
        if (usesModSeq(key)) {
            s.enableCondstore();
        }
        SelectedMailbox view = s.selected();
        // the messages as stored now, numbered as the client knows them; one expunged meanwhile keeps what
        // the view knows (UID, flags), so that ALL or flag keys still see it, while content keys cannot match
        MessageEntry[] bySeq = new MessageEntry[view.size()];
        for (MessageEntry m : s.mailboxes().messages(view.id())) {
            int seq = view.seqOf(m.uid());
            if (seq > 0) {
                bySeq[seq - 1] = m;
            }
        }
        List<SearchEngine.Candidate> candidates = new ArrayList<>(view.size());
        for (int i = 0; i < bySeq.length; i++) {
            long seq = i + 1;
            MessageEntry m = bySeq[i] != null ? bySeq[i] : new MessageEntry(0, view.id(), view.uid(seq), view.modSeq(seq),
                    view.flags(seq), java.time.Instant.EPOCH, 0, 0);
            candidates.add(new SearchEngine.Candidate(seq, m));
        }
        List<SearchEngine.Candidate> found;
        try {
            found = new SearchEngine(s.mailboxes(), s.context().scans()).search(candidates, key, new SearchEngine.Numbers() {
            @Override
            public NumberSet sequenceNumbers(SequenceSet set) {
                return set.isSavedResult() ? view.sequenceNumbersOfUids(s.savedUids()) : view.sequenceNumbers(set);
            }

            @Override
            public NumberSet uids(SequenceSet set) {
                return Sets.uids(s, set);
            }
            });
        } catch (ScanGate.BusyException e) {
            throw CommandFailed.no("LIMIT", "Too many searches are running; try again later");
        }
        NumberSet.Builder numbers = new NumberSet.Builder();
        NumberSet.Builder uids = new NumberSet.Builder();
        long highestModSeq = 0;
        for (SearchEngine.Candidate c : found) {
            numbers.add(uid ? c.entry().uid() : c.seq());
            uids.add(c.entry().uid());
            highestModSeq = Math.max(highestModSeq, c.entry().modSeq());
        }
        NumberSet result = numbers.build();
        String modSeq = usesModSeq(key) && !result.isEmpty() ? "MODSEQ " + highestModSeq : null;
        if (returns == null && !s.rev2()) {
            StringBuilder line = new StringBuilder("SEARCH");
            result.forEach(n -> line.append(' ').append(n));
            if (modSeq != null) {
                line.append(" (").append(modSeq).append(')');
            }
            s.out().untagged(line.toString());
        } else {
            Set<String> options = returns == null ? Set.of("ALL") : returns;
            if (options.contains("SAVE")) {
                s.saveUids(saved(uids.build(), options, found));
            }
            if (!(options.size() == 1 && options.contains("SAVE"))) {
                s.out().untagged(esearch(tag, uid, options, result, modSeq));
            }
        }
        if (uid) {
            s.ok(tag, null, "UID SEARCH completed");
        } else {
            s.okWithoutExpunge(tag, null, "SEARCH completed");
        }
    }

    private static String esearch(String tag, boolean uid, Set<String> options, NumberSet result, String modSeq) {
        StringBuilder line = new StringBuilder("ESEARCH (TAG \"").append(tag).append("\")");
        if (uid) {
            line.append(" UID");
        }
        if (!result.isEmpty()) {
            if (options.contains("MIN")) {
                line.append(" MIN ").append(result.min());
            }
            if (options.contains("MAX")) {
                line.append(" MAX ").append(result.max());
            }
        }
        if (options.contains("COUNT")) {
            line.append(" COUNT ").append(result.size());
        }
        if (options.contains("ALL") && !result.isEmpty()) {
            line.append(" ALL ").append(result);
        }
        if (modSeq != null) {
            line.append(' ').append(modSeq);
        }
        return line.toString();
    }

    /** RFC 5182: with MIN or MAX (and neither ALL nor COUNT) only those are saved. */
    private static NumberSet saved(NumberSet uids, Set<String> options, List<SearchEngine.Candidate> found) {
        if (found.isEmpty() || options.contains("ALL") || options.contains("COUNT")
                || (!options.contains("MIN") && !options.contains("MAX"))) {
            return uids;
        }
        NumberSet.Builder out = new NumberSet.Builder();
        if (options.contains("MIN")) {
            out.add(found.getFirst().entry().uid());
        }
        if (options.contains("MAX")) {
            out.add(found.getLast().entry().uid());
        }
        return out.build();
    }

    private static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.And and -> and.keys().stream().anyMatch(SearchCommand::usesModSeq);
            case SearchKey.Or or -> usesModSeq(or.left()) || usesModSeq(or.right());
            case SearchKey.Not not -> usesModSeq(not.key());
            default -> false;
        };
    }

}
