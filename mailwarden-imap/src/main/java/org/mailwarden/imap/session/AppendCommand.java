package org.mailwarden.imap.session;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.mailwarden.core.io.Spool;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Appended;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APPEND with flags and internal date, UIDPLUS's APPENDUID, APPENDLIMIT, BINARY's literal8 and
 * UTF8=ACCEPT's {@code UTF8 (~{n})} form. The target and the size are checked before a synchronising
 * literal is asked for; the message is spooled (memory, then a temporary file) and stored through the
 * store's group commit, which also computes its MIME structure.
 */
final class AppendCommand implements Command.Action {

    private static final Logger LOG = LoggerFactory.getLogger(AppendCommand.class);

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String mailbox = MailboxCommands.mailboxArgument(s, args);
        args.sp();
        Set<String> flags = Set.of();
        if (args.peek() == '(') {
            flags = FlagNames.canonical(args.flagList());
            args.sp();
        }
        Instant date = null;
        if (args.peekQuoted()) {
            date = args.dateTime().toInstant();
            args.sp();
        }
        boolean utf8Form = false;
        if (args.peekWord("UTF8")) {
            if (!s.utf8()) {
                throw ImapParseException.bad("APPEND UTF8 needs ENABLE UTF8=ACCEPT");
            }
            args.keyword();
            args.sp();
            args.openList();
            utf8Form = true;
        }
        CommandReader.Literal literal = args.literal();
        if (utf8Form && !literal.binary()) {
            throw ImapParseException.bad("APPEND UTF8 takes a literal8 (~{n})");
        }
        Mailbox box = MailboxCommands.find(s, mailbox)
                .orElseThrow(() -> ImapParseException.no("TRYCREATE", "Mailbox does not exist"));
        long limit = s.settings().appendLimit();
        if (literal.size() > limit) {
            throw ImapParseException.no("TOOBIG", "Message is larger than the APPENDLIMIT of " + limit + " octets");
        }
        if (literal.size() == 0) {
            throw ImapParseException.no("CANNOT", "An empty message cannot be appended");
        }
        Spool.Writer writer = Spool.writer(s.context().spoolDir(), Spool.DEFAULT_MEMORY_THRESHOLD, limit);
        try (writer) {
            args.readLiteral(literal, writer);
            if (utf8Form) {
                args.closeList();
            }
            args.end();
            Appended appended;
            try (Spool message = writer.finish()) {
                appended = s.mailboxes().append(box.id(), message, flags, date);
            }
            s.context().monitor().changed(box.id());
            LOG.info("imap APPEND mailbox={} uid={} size={}", box.name(), appended.uid(), literal.size());
            s.ok(tag, "APPENDUID " + appended.uidValidity() + " " + appended.uid(), "APPEND completed");
        }
    }
}
