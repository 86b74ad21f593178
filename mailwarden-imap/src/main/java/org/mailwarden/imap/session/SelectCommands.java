package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;
import org.mailwarden.imap.response.ResponseWriter;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Changes;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SELECT and EXAMINE (with the CONDSTORE and QRESYNC parameters), CLOSE and UNSELECT. Selecting answers
 * FLAGS, EXISTS, PERMANENTFLAGS, UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ (and RECENT, UNSEEN for IMAP4rev1
 * clients); QRESYNC resynchronisation answers VANISHED (EARLIER) and the changed flags.
 */
final class SelectCommands {

    private static final Logger LOG = LoggerFactory.getLogger(SelectCommands.class);

    private SelectCommands() {
    }

    /** SELECT and EXAMINE. */
    static final Command SELECT = Command.of(States.AUTHENTICATED, SelectCommands::select);

    private static void select(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        boolean readOnly = name.equals("EXAMINE");
        String mailbox = MailboxCommands.mailboxArgument(s, args);
        Qresync qresync = null;
        if (args.take(' ')) {
            args.openList();
            do {
                String param = args.keyword();
                switch (param) {
                    case "CONDSTORE" -> s.enableCondstore();
                    case "QRESYNC" -> {
                        if (!s.qresync()) {
                            throw ImapParseException.bad("QRESYNC must be enabled first (ENABLE QRESYNC)");
                        }
                        args.sp();
                        qresync = Qresync.parse(args);
                    }
                    default -> throw ImapParseException.bad("unknown SELECT parameter " + param);
                }
            } while (args.take(' '));
            args.closeList();
        }
        args.end();
        ResponseWriter out = s.out();
        if (s.state() == ImapSession.State.SELECTED) {
            s.deselect();
            out.untaggedStatus(Status.OK, "CLOSED", "Previous mailbox closed");
        }
        Mailbox box = MailboxCommands.existing(s, mailbox);
        SelectedMailbox view = SelectedMailbox.open(s.mailboxes(), box, readOnly);
        view.flagsResponse(out);
        out.untagged(view.size() + " EXISTS");
        if (!s.rev2()) {
            out.untagged("0 RECENT");
            int unseen = view.firstUnseen();
            if (unseen > 0) {
                out.untaggedStatus(Status.OK, "UNSEEN " + unseen, "First unseen message");
            }
        }
        out.untaggedStatus(Status.OK, readOnly ? "PERMANENTFLAGS ()"
                : "PERMANENTFLAGS (" + String.join(" ", view.flags()) + " \\*)", "Flags permitted");
        out.untaggedStatus(Status.OK, "UIDVALIDITY " + view.uidValidity(), "UIDs valid");
        out.untaggedStatus(Status.OK, "UIDNEXT " + view.uidNext(), "Predicted next UID");
        out.untaggedStatus(Status.OK, "HIGHESTMODSEQ " + view.highestModSeq(), "Highest");
        if (s.rev2()) {
            out.raw("* LIST () \"/\" ").astring(s.encodeMailbox(view.name())).crlf();
        }
        s.select(view);
        if (qresync != null && qresync.uidValidity() == view.uidValidity()) {
            qresync.resynchronise(s, view);
        }
        LOG.info("imap {} mailbox={} messages={}", name, view.name(), view.size());
        s.ok(tag, readOnly ? "READ-ONLY" : "READ-WRITE", name + " completed");
    }

    /**
     * The QRESYNC select parameter: what the client knew (UIDVALIDITY, MODSEQ, optionally its UIDs and
     * sequence-to-UID samples).
     */
    record Qresync(long uidValidity, long modSeq, SequenceSet knownUids, SequenceSet knownSeqs, SequenceSet knownUidsMatch) {

        static Qresync parse(CommandReader args) {
            args.openList();
            long validity = args.nzNumber();
            args.sp();
            long modSeq = args.number64();
            SequenceSet known = null;
            SequenceSet seqs = null;
            SequenceSet uids = null;
            if (args.take(' ')) {
                if (args.peek() != '(') {
                    known = args.sequenceSet();
                    args.take(' ');
                }
                if (args.peek() == '(') {
                    args.openList();
                    seqs = args.sequenceSet();
                    args.sp();
                    uids = args.sequenceSet();
                    args.closeList();
                }
            }
            args.closeList();
            if ((known != null && known.isSavedResult()) || (seqs != null && (seqs.isSavedResult() || uids.isSavedResult()))) {
                throw ImapParseException.bad("$ cannot be used in QRESYNC");
            }
            return new Qresync(validity, modSeq, known, seqs, uids);
        }

        /** Sends the expunges (VANISHED (EARLIER)) and flag changes since the client's MODSEQ. */
        void resynchronise(ImapSession s, SelectedMailbox view) throws IOException {
            Changes changes = s.mailboxes().changesSince(view.id(), modSeq).orElse(null);
            if (changes == null) {
                return;
            }
            NumberSet.Builder vanished = new NumberSet.Builder();
            NumberSet known = knownUids == null ? null : knownUids.resolve(view.uidNext());
            for (long uid : changes.expunged()) {
                if (known == null || known.contains(uid)) {
                    vanished.add(uid);
                }
            }
            NumberSet gone = vanished.build();
            if (!gone.isEmpty()) {
                s.out().untagged("VANISHED (EARLIER) " + gone);
            }
            for (MessageEntry m : changes.changed()) {
                int seq = view.seqOf(m.uid());
                if (seq > 0) {
                    SelectedMailbox.flagUpdate(s.out(), seq, m, true);
                }
            }
        }
    }

    /** CLOSE (expunges \Deleted messages silently when read-write) and UNSELECT. */
    static final Command CLOSE = Command.of(States.SELECTED, SelectCommands::close);

    private static void close(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException {
        args.end();
        SelectedMailbox view = s.selected();
        if (name.equals("CLOSE") && !view.readOnly()) {
            List<Long> deleted = s.mailboxes().messages(view.id()).stream()
                    .filter(m -> m.flags().contains("\\Deleted")).map(MessageEntry::uid).toList();
            if (!deleted.isEmpty()) {
                s.mailboxes().expunge(view.id(), deleted);
                s.context().monitor().changed(view.id());
            }
        }
        s.deselect();
        s.out().tagged(tag, Status.OK, null, name + " completed");
    }
}
