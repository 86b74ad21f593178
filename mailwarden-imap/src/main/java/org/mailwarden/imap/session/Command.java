package org.mailwarden.imap.session;

import java.io.IOException;
import java.util.Set;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;

/**
 * One IMAP command (or a family of them, like SELECT and EXAMINE): it parses its arguments from the
 * reader, positioned right after the command name, does its work and answers through the session.
 */
interface Command {

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
