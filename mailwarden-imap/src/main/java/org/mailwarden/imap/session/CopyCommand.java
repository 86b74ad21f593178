package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Copied;
import org.mailwarden.store.Mailboxes.Mailbox;

/**
 * COPY and MOVE (RFC 6851), by sequence number or UID, with UIDPLUS's COPYUID. MOVE is one store
 * transaction (copy and expunge); its COPYUID comes untagged, before the EXPUNGE (or VANISHED) responses.
 */
final class CopyCommand implements Command.Action {

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        args.sp();
        var set = args.sequenceSet();
        String mailbox = MailboxCommands.mailboxArgument(s, args);
        args.end();
        SelectedMailbox view = s.selected();
        List<Long> uids = new ArrayList<>();
        if (uid) {
            uids.addAll(Sets.uids(s, set).toList());
        } else {
            Sets.sequenceNumbers(s, set).forEach(seq -> uids.add(view.uid(seq)));
        }
        Mailbox target = MailboxCommands.find(s, mailbox)
                .orElseThrow(() -> CommandFailed.no("TRYCREATE", "The target mailbox does not exist"));
        boolean move = name.equals("MOVE");
        if (move && view.readOnly()) {
            throw CommandFailed.no("READ-ONLY", "The mailbox is read-only (EXAMINE)");
        }
        if (uids.isEmpty()) {
            s.ok(tag, null, name + " completed (no messages)");
            return;
        }
        Copied copied = move ? s.mailboxes().move(view.id(), uids, target.id())
                : s.mailboxes().copy(view.id(), uids, target.id());
        s.context().monitor().changed(target.id());
        String copyUid = copied.sourceUids().isEmpty() ? null : "COPYUID " + copied.uidValidity() + " "
                + NumberSet.of(copied.sourceUids()) + " " + NumberSet.of(copied.targetUids());
        if (!move) {
            s.ok(tag, copyUid, "COPY completed");
            return;
        }
        if (copyUid != null) {
            s.out().untaggedStatus(Status.OK, copyUid, "Moved");
        }
        view.expunged(copied.sourceUids(), s.out(), s.qresync());
        s.context().monitor().changed(view.id());
        s.ok(tag, null, "MOVE completed");
    }
}
