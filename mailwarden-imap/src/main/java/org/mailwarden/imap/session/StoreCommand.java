package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.FlagOperation;
import org.mailwarden.store.Mailboxes.FlagUpdate;
import org.mailwarden.store.Mailboxes.MessageEntry;

/**
 * STORE and UID STORE: FLAGS, +FLAGS and -FLAGS, .SILENT, and CONDSTORE's UNCHANGEDSINCE (refused
 * messages are reported with {@code [MODIFIED set]}). The new flags are answered with FETCH responses
 * (with MODSEQ once CONDSTORE is on); by sequence number no EXPUNGE is sent meanwhile.
 */
final class StoreCommand implements Command.Action {

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        args.sp();
        SequenceSet set = args.sequenceSet();
        args.sp();
        long unchangedSince = -1;
        if (args.peek() == '(') {
            args.openList();
            if (!args.keyword().equals("UNCHANGEDSINCE")) {
                throw ImapParseException.bad("unknown STORE modifier; only UNCHANGEDSINCE is supported");
            }
            args.sp();
            unchangedSince = args.number64();
            args.closeList();
            args.sp();
            s.enableCondstore();
        }
        String item = args.keyword();
        FlagOperation operation = switch (item.startsWith("+") ? item.substring(1) : item.startsWith("-") ? item.substring(1) : item) {
            case "FLAGS", "FLAGS.SILENT" -> item.startsWith("+") ? FlagOperation.ADD
                    : item.startsWith("-") ? FlagOperation.REMOVE : FlagOperation.REPLACE;
            default -> throw ImapParseException.bad("expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT)");
        };
        boolean silent = item.endsWith(".SILENT");
        args.sp();
        Set<String> flags;
        if (args.peek() == '(') {
            flags = args.flagList();
        } else {
            flags = new LinkedHashSet<>();
            do {
                flags.add(args.flag());
            } while (args.take(' '));
        }
        args.end();
        flags = FlagNames.canonical(flags);
        SelectedMailbox view = s.selected();
        NumberSet seqs = uid ? view.sequenceNumbersOfUids(Sets.uids(s, set)) : Sets.sequenceNumbers(s, set);
        if (view.readOnly()) {
            throw CommandFailed.no("READ-ONLY", "The mailbox is read-only (EXAMINE)");
        }
        List<Long> uids = new ArrayList<>();
        seqs.forEach(seq -> uids.add(view.uid(seq)));
        FlagUpdate update = s.mailboxes().updateFlags(view.id(), uids, operation, flags, unchangedSince);
        if (view.update(update.updated())) {
            view.flagsResponse(s.out());
        }
        if (!update.updated().isEmpty()) {
            s.context().monitor().changed(view.id());
        }
        boolean condstore = s.condstore();
        List<MessageEntry> answer = new ArrayList<>(update.updated());
        if (!silent) {
            answer.addAll(update.unchanged());
        }
        answer.sort(java.util.Comparator.comparingLong(MessageEntry::uid));
        for (MessageEntry m : answer) {
            int seq = view.seqOf(m.uid());
            if (seq <= 0) {
                continue;
            }
            if (silent) {
                // RFC 7162 section 3.2: .SILENT still reports the new MODSEQ
                if (condstore) {
                    s.out().untagged(seq + " FETCH (" + (uid ? "UID " + m.uid() + " " : "") + "MODSEQ (" + m.modSeq() + "))");
                }
            } else {
                SelectedMailbox.flagUpdate(s.out(), seq, m, condstore);
            }
        }
        String code = null;
        if (!update.conflicts().isEmpty()) {
            NumberSet conflicts = NumberSet.of(update.conflicts());
            code = "MODIFIED " + (uid ? conflicts : view.sequenceNumbersOfUids(conflicts));
        }
        if (uid) {
            s.ok(tag, code, "UID STORE completed");
        } else {
            s.okWithoutExpunge(tag, code, "STORE completed");
        }
    }
}
