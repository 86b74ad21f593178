package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;

/** ENABLE (RFC 5161: CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4rev2) and NAMESPACE (one personal namespace). */
final class EnableCommands {

    private EnableCommands() {
    }

    static final Command ENABLE = Command.of(States.AUTHENTICATED, EnableCommands::enable);

    private static void enable(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, MailboxGoneException {
        List<String> enabled = new ArrayList<>();
        do {
            args.sp();
            String capability = args.keyword();
            switch (capability) {
                case "CONDSTORE" -> {
                    s.enableCondstore();
                    enabled.add(capability);
                }
                case "QRESYNC" -> {
                    s.enableQresync();
                    enabled.add(capability);
                }
                case "UTF8=ACCEPT" -> {
                    s.enableUtf8();
                    enabled.add(capability);
                }
                case "IMAP4REV2" -> {
                    s.enableRev2();
                    enabled.add("IMAP4rev2");
                }
                default -> {
                    // RFC 5161: unknown or non-enablable capabilities are ignored
                }
            }
        } while (!args.atEnd());
        s.out().untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        s.ok(tag, null, "ENABLE completed");
    }

    static final Command NAMESPACE = Command.of(States.AUTHENTICATED, EnableCommands::namespace);

    private static void namespace(ImapSession s, String tag, String name, boolean uid, CommandReader args)
            throws IOException, MailboxGoneException {
        args.end();
        s.out().untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        s.ok(tag, null, "NAMESPACE completed");
    }
}
