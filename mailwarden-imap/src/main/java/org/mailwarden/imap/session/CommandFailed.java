package org.mailwarden.imap.session;

import org.mailwarden.imap.response.ResponseWriter.Status;

/**
 * A command that was understood but cannot be carried out: the session answers it with a tagged NO (or
 * BAD) carrying an RFC 5530 response code, e.g. {@code NO [NONEXISTENT] Mailbox does not exist}.
 */
final class CommandFailed extends Exception {

    private final Status status;
    private final String code;

    private CommandFailed(Status status, String code, String text) {
        super(text, null, false, false);
        this.status = status;
        this.code = code;
    }

    static CommandFailed no(String code, String text) {
        return new CommandFailed(Status.NO, code, text);
    }

    static CommandFailed bad(String code, String text) {
        return new CommandFailed(Status.BAD, code, text);
    }

    Status status() {
        return status;
    }

    /** The response code without brackets, or null. */
    String code() {
        return code;
    }
}
