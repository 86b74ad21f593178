package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.mailwarden.store.StoreException;

/**
 * CREATE (with CREATE-SPECIAL-USE), DELETE, RENAME, SUBSCRIBE and UNSUBSCRIBE. Names use {@code /} as the
 * hierarchy delimiter; CREATE makes missing superior mailboxes, INBOX can be neither created nor deleted,
 * and renaming INBOX moves its messages to the new name (RFC 9051 section 6.3.6).
 */
final class MailboxCommands {

    static final List<String> SPECIAL_USES = List.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent",
            "\\Trash");

    private MailboxCommands() {
    }

    /** Reads a mailbox name argument (after its space) and decodes it for the store. */
    static String mailboxArgument(ImapSession s, CommandReader args) throws IOException {
        args.sp();
        String raw = args.astring();
        if (raw.isEmpty()) {
            throw ImapParseException.bad("empty mailbox name");
        }
        return s.decodeMailbox(raw);
    }

    static Mailbox existing(ImapSession s, String name) throws CommandFailed {
        return find(s, name).orElseThrow(() -> CommandFailed.no("NONEXISTENT", "Mailbox does not exist"));
    }

    static Optional<Mailbox> find(ImapSession s, String name) {
        try {
            return s.mailboxes().find(s.identity().accountId(), name);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.INVALID) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static final Command CREATE = Command.of(States.AUTHENTICATED, MailboxCommands::create);

    private static void create(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String mailbox = mailboxArgument(s, args);
        String use = null;
        if (args.take(' ')) {
            args.openList();
            if (!args.keyword().equals("USE")) {
                throw ImapParseException.bad("unknown CREATE parameter; only USE is supported");
            }
            args.sp();
            List<String> uses = new ArrayList<>(args.flagList());
            args.closeList();
            if (uses.size() > 1) {
                throw CommandFailed.no("USEATTR", "A mailbox can have only one special use here");
            }
            if (!uses.isEmpty()) {
                use = canonicalUse(uses.getFirst());
            }
        }
        args.end();
        while (mailbox.endsWith("/")) {
            mailbox = mailbox.substring(0, mailbox.length() - 1);
        }
        if (mailbox.equals("INBOX")) {
            throw CommandFailed.no("ALREADYEXISTS", "INBOX always exists");
        }
        long account = s.identity().accountId();
        if (find(s, mailbox).isPresent()) {
            throw CommandFailed.no("ALREADYEXISTS", "Mailbox already exists");
        }
        createSuperiors(s, account, mailbox);
        s.mailboxes().create(account, mailbox, use);
        s.ok(tag, null, "CREATE completed");
    }

    private static String canonicalUse(String use) throws CommandFailed {
        for (String known : SPECIAL_USES) {
            if (known.equalsIgnoreCase(use)) {
                return known;
            }
        }
        throw CommandFailed.no("USEATTR", "Unsupported special-use attribute " + use);
    }

    /** RFC 9051: creating {@code a/b/c} creates {@code a} and {@code a/b} when they are missing. */
    private static void createSuperiors(ImapSession s, long account, String mailbox) {
        int slash = mailbox.indexOf('/');
        while (slash > 0) {
            String parent = mailbox.substring(0, slash);
            if (find(s, parent).isEmpty()) {
                try {
                    s.mailboxes().create(account, parent, null);
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.DUPLICATE) {
                        throw e;
                    }
                }
            }
            slash = mailbox.indexOf('/', slash + 1);
        }
    }

    static final Command DELETE = Command.of(States.AUTHENTICATED, MailboxCommands::delete);

    private static void delete(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String mailbox = mailboxArgument(s, args);
        args.end();
        if (mailbox.equals("INBOX")) {
            throw CommandFailed.no("CANNOT", "INBOX cannot be deleted");
        }
        Mailbox box = existing(s, mailbox);
        s.mailboxes().delete(s.identity().accountId(), mailbox);
        s.context().monitor().changed(box.id());
        if (s.state() == ImapSession.State.SELECTED && s.selected().id() == box.id()) {
            s.deselect();
            s.out().untaggedStatus(org.mailwarden.imap.response.ResponseWriter.Status.OK, "CLOSED",
                    "The selected mailbox was deleted");
        }
        s.ok(tag, null, "DELETE completed");
    }

    static final Command RENAME = Command.of(States.AUTHENTICATED, MailboxCommands::rename);

    private static void rename(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String from = mailboxArgument(s, args);
        String to = mailboxArgument(s, args);
        args.end();
        while (to.endsWith("/")) {
            to = to.substring(0, to.length() - 1);
        }
        Mailbox box = existing(s, from);
        if (to.equals("INBOX") || find(s, to).isPresent()) {
            throw CommandFailed.no("ALREADYEXISTS", "The new name already exists");
        }
        if (to.toLowerCase(Locale.ROOT).startsWith(from.toLowerCase(Locale.ROOT) + "/")) {
            throw CommandFailed.no("CANNOT", "A mailbox cannot be moved below itself");
        }
        s.mailboxes().rename(s.identity().accountId(), from, to);
        s.context().monitor().changed(box.id());
        s.ok(tag, null, "RENAME completed");
    }

    /** SUBSCRIBE and UNSUBSCRIBE. */
    static final Command SUBSCRIBE = Command.of(States.AUTHENTICATED, MailboxCommands::subscribe);

    private static void subscribe(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException {
        String mailbox = mailboxArgument(s, args);
        args.end();
        existing(s, mailbox);
        s.mailboxes().setSubscribed(s.identity().accountId(), mailbox, name.equals("SUBSCRIBE"));
        s.ok(tag, null, name + " completed");
    }
}
