package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.Mailboxes.MessageEntry;

/**
 * STATUS (with STATUS=SIZE, CONDSTORE's HIGHESTMODSEQ and APPENDLIMIT's item); LIST-STATUS uses the same
 * items. Counts come from the store's current state of the mailbox.
 */
final class StatusCommand implements Command.Action {

    static final List<String> ITEMS = List.of("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED",
            "SIZE", "HIGHESTMODSEQ", "APPENDLIMIT");

    @Override
    public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String mailbox = MailboxCommands.mailboxArgument(s, args);
        args.sp();
        List<String> items = items(args);
        args.end();
        Mailbox box = MailboxCommands.existing(s, mailbox);
        write(s, box, items);
        s.ok(tag, null, "STATUS completed");
    }

    /** Parses {@code (item item ...)}. */
    static List<String> items(CommandReader args) {
        List<String> items = new ArrayList<>();
        args.openList();
        do {
            String item = args.keyword();
            if (!ITEMS.contains(item)) {
                throw ImapParseException.bad("unknown STATUS item " + item);
            }
            items.add(item);
        } while (args.take(' '));
        args.closeList();
        return items;
    }

    /** Writes {@code * STATUS name (item value ...)}. */
    static void write(ImapSession s, Mailbox box, List<String> items) throws IOException {
        Mailbox current = s.mailboxes().get(box.id()).orElse(box);
        boolean needsMessages = items.stream().anyMatch(i -> List.of("MESSAGES", "UNSEEN", "DELETED", "SIZE").contains(i));
        List<MessageEntry> messages = needsMessages ? s.mailboxes().messages(box.id()) : List.of();
        StringBuilder line = new StringBuilder();
        for (String item : items) {
            long value = switch (item) {
                case "MESSAGES" -> messages.size();
                case "RECENT" -> 0;
                case "UIDNEXT" -> current.uidNext();
                case "UIDVALIDITY" -> current.uidValidity();
                case "UNSEEN" -> messages.stream().filter(m -> !has(m, "\\Seen")).count();
                case "DELETED" -> messages.stream().filter(m -> has(m, "\\Deleted")).count();
                case "SIZE" -> messages.stream().mapToLong(MessageEntry::size).sum();
                case "HIGHESTMODSEQ" -> {
                    s.enableCondstore();
                    yield current.highestModSeq();
                }
                default -> s.settings().appendLimit();
            };
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(item).append(' ').append(value);
        }
        s.out().raw("* STATUS ").astring(s.encodeMailbox(current.name())).raw(" (").raw(line.toString()).raw(")").crlf();
    }

    private static boolean has(MessageEntry m, String flag) {
        return m.flags().contains(flag);
    }
}
