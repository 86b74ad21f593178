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
        Command copy = Command.of(States.SELECTED, new CopyCommand());
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
                Map.entry("LIST", Command.of(States.AUTHENTICATED, new ListCommand())),
                Map.entry("LSUB", Command.of(States.AUTHENTICATED, new ListCommand())),
                Map.entry("STATUS", Command.of(States.AUTHENTICATED, new StatusCommand())),
                Map.entry("APPEND", Command.of(States.AUTHENTICATED, new AppendCommand())),
                Map.entry("IDLE", Command.of(States.AUTHENTICATED, new IdleCommand())),
                Map.entry("CHECK", AnyStateCommands.CHECK),
                Map.entry("CLOSE", SelectCommands.CLOSE),
                Map.entry("UNSELECT", SelectCommands.CLOSE),
                Map.entry("EXPUNGE", Command.of(States.SELECTED, new ExpungeCommand())),
                Map.entry("COPY", copy),
                Map.entry("MOVE", copy),
                Map.entry("STORE", Command.of(States.SELECTED, new StoreCommand())),
                Map.entry("FETCH", Command.of(States.SELECTED, new FetchCommand())),
                Map.entry("SEARCH", new SearchCommand()));
    }
}
