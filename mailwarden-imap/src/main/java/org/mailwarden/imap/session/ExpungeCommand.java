package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.MessageEntry;

/** EXPUNGE and UIDPLUS's UID EXPUNGE: removes the messages marked \Deleted (within a UID set). */
final class ExpungeCommand implements Command.Action {

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        NumberSet within = null;
        if (uid) {
            args.sp();
            within = Sets.uids(s, args.sequenceSet());
        }
        args.end();
        SelectedMailbox view = s.selected();
        if (view.readOnly()) {
            throw CommandFailed.no("READ-ONLY", "The mailbox is read-only (EXAMINE)");
        }
        NumberSet limit = within;
        // \Deleted as stored now: a flag another session set counts even before this view heard of it
        List<Long> deleted = s.mailboxes().messages(view.id()).stream()
                .filter(m -> m.flags().contains("\\Deleted") && view.seqOf(m.uid()) > 0
                        && (limit == null || limit.contains(m.uid())))
                .map(MessageEntry::uid).toList();
        if (!deleted.isEmpty()) {
            List<Long> removed = s.mailboxes().expunge(view.id(), deleted);
            view.expunged(removed, s.out(), s.qresync());
            s.context().monitor().changed(view.id());
        }
        s.ok(tag, null, name + " completed");
    }
}
