package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.Set;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;

/**
 * One IMAP command (or a family of them, like SELECT and EXAMINE): it parses its arguments from the
 * reader, positioned right after the command name, does its work and answers through the session.
 * Most commands are an {@link Action} made valid in some states with {@link #of}.
 */
interface Command {

    /** The work of a command, without the states it is valid in; see {@link Command#run}. */
    @FunctionalInterface
    interface Action {
        void run(ImapSession session, String tag, String name, boolean uid, CommandReader args)
                throws IOException, CommandFailed, MailboxGoneException;
    }

    /** The command that runs {@code action} in {@code states}. */
    static Command of(Set<ImapSession.State> states, Action action) {
        return new Command() {
            @Override
            public Set<ImapSession.State> states() {
                return states;
            }

            @Override
            public void run(ImapSession session, String tag, String name, boolean uid, CommandReader args)
                    throws IOException, CommandFailed, MailboxGoneException {
                action.run(session, tag, name, uid, args);
            }
        };
    }

    /** The states in which the command is valid. */
    Set<ImapSession.State> states();

    /**
     * Runs the command.
     *
     * @param name the command name as dispatched (upper case), e.g. {@code EXAMINE}
     * @param uid  whether it came as {@code UID name}
     */
    void run(ImapSession session, String tag, String name, boolean uid, CommandReader args)
            throws IOException, CommandFailed, MailboxGoneException;
}
