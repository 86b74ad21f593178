package org.mailwarden.imap.session;

import java.util.Map;
import java.util.Set;

/** The command table: each IMAP command name and the {@link Command} that runs it. */
final class Commands {

    /** The commands that may follow {@code UID}. */
    static final Set<String> UID_COMMANDS = Set.of("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE");

    private Commands() {
    }

    static Map<String, Command> table() {
        Command copy = new CopyCommand();
        return Map.ofEntries(
                Map.entry("CAPABILITY", AnyStateCommands.CAPABILITY),
                Map.entry("NOOP", AnyStateCommands.NOOP),
                Map.entry("LOGOUT", AnyStateCommands.LOGOUT),
                Map.entry("ID", AnyStateCommands.ID),
                Map.entry("STARTTLS", LoginCommands.STARTTLS),
                Map.entry("LOGIN", LoginCommands.LOGIN),
                Map.entry("AUTHENTICATE", LoginCommands.AUTHENTICATE),
                Map.entry("ENABLE", EnableCommands.ENABLE),
                Map.entry("NAMESPACE", EnableCommands.NAMESPACE),
                Map.entry("SELECT", SelectCommands.SELECT),
                Map.entry("EXAMINE", SelectCommands.SELECT),
                Map.entry("CREATE", MailboxCommands.CREATE),
                Map.entry("DELETE", MailboxCommands.DELETE),
                Map.entry("RENAME", MailboxCommands.RENAME),
                Map.entry("SUBSCRIBE", MailboxCommands.SUBSCRIBE),
                Map.entry("UNSUBSCRIBE", MailboxCommands.SUBSCRIBE),
                Map.entry("LIST", new ListCommand()),
                Map.entry("LSUB", new ListCommand()),
                Map.entry("STATUS", new StatusCommand()),
                Map.entry("APPEND", new AppendCommand()),
                Map.entry("IDLE", new IdleCommand()),
                Map.entry("CHECK", AnyStateCommands.CHECK),
                Map.entry("CLOSE", SelectCommands.CLOSE),
                Map.entry("UNSELECT", SelectCommands.CLOSE),
                Map.entry("EXPUNGE", new ExpungeCommand()),
                Map.entry("COPY", copy),
                Map.entry("MOVE", copy),
                Map.entry("STORE", new StoreCommand()),
                Map.entry("FETCH", new FetchCommand()),
                Map.entry("SEARCH", new SearchCommand()));
    }
}
