package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CAPABILITY, NOOP, CHECK, LOGOUT and ID: valid in every state (CHECK only with a mailbox selected). */
final class AnyStateCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AnyStateCommands.class);
    private static final int MAX_ID_FIELDS = 30;

    private AnyStateCommands() {
    }

    static final Command CAPABILITY = Command.of(States.ANY, AnyStateCommands::capability);

    private static void capability(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, MailboxGoneException {
        args.end();
        s.out().untagged("CAPABILITY " + Capabilities.of(s));
        s.ok(tag, null, "CAPABILITY completed");
    }

    /** NOOP and CHECK: nothing but the pending updates (RFC 9051 removed CHECK; it acts like NOOP). */
    static final Command NOOP = Command.of(States.ANY, AnyStateCommands::noop);

    private static void noop(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, MailboxGoneException {
        args.end();
        s.ok(tag, null, name + " completed");
    }

    static final Command CHECK = Command.of(States.SELECTED, AnyStateCommands::noop);

    static final Command LOGOUT = Command.of(States.ANY, AnyStateCommands::logout);

    private static void logout(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException {
        args.end();
        s.out().untaggedStatus(Status.BYE, null, "Logging out");
        s.out().tagged(tag, Status.OK, null, "LOGOUT completed");
        s.out().flush();
        s.logout();
    }

    /** ID (RFC 2971): logs what the client says it is, tells it what we are. */
    static final Command ID = Command.of(States.ANY, AnyStateCommands::id);

    private static void id(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, MailboxGoneException {
        args.sp();
        List<String> fields = new ArrayList<>();
        if (args.peekWord("NIL")) {
            args.nstring();
        } else {
            args.openList();
            if (args.peek() != ')') {
                do {
                    String field = args.string();
                    args.sp();
                    String value = args.nstring();
                    if (field.length() > 30 || (value != null && value.length() > 1024)) {
                        throw ImapParseException.bad("ID field or value too long (RFC 2971: 30 and 1024 octets)");
                    }
                    if (fields.size() >= 2 * MAX_ID_FIELDS) {
                        throw ImapParseException.bad("too many ID fields (RFC 2971: at most 30)");
                    }
                    fields.add(field);
                    fields.add(value);
                } while (args.take(' '));
            }
            args.closeList();
        }
        args.end();
        if (!fields.isEmpty()) {
            LOG.info("imap client id {}", describe(fields));
        }
        s.out().untagged("ID (\"name\" \"mailwarden\" \"vendor\" \"mailwarden\")");
        s.ok(tag, null, "ID completed");
    }

    private static String describe(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(printable(fields.get(i))).append('=').append(printable(fields.get(i + 1)));
        }
        return out.toString();
    }

    private static String printable(String s) {
        if (s == null) {
            return "NIL";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(100).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
