package org.mailwarden.imap.parser;

/**
 * A command that cannot be parsed, or that breaks one of the {@link ImapLimits}: the session answers it
 * with a tagged {@code BAD} (or {@code NO} for a refused literal), carrying {@link #code()} as the RFC 5530
 * response code when there is one, and goes on with the next command. A {@linkplain #fatal() fatal} one
 * (the client cannot be resynchronised, e.g. a non-synchronising literal too large to discard) ends the
 * session with {@code BYE}.
 */
public final class ImapParseException extends RuntimeException {

    private final String code;
    private final boolean no;
    private final boolean fatal;

    private ImapParseException(String message, String code, boolean no, boolean fatal) {
        super(message, null, false, false);
        this.code = code;
        this.no = no;
        this.fatal = fatal;
    }

    /** A syntax error: tagged BAD with this text. */
    public static ImapParseException bad(String message) {
        return new ImapParseException(message, null, false, false);
    }

    /** A syntax error with a response code, e.g. {@code CLIENTBUG}. */
    public static ImapParseException bad(String code, String message) {
        return new ImapParseException(message, code, false, false);
    }

    /** A well-formed request the server refuses (a literal over a limit): tagged NO with a response code. */
    public static ImapParseException no(String code, String message) {
        return new ImapParseException(message, code, true, false);
    }

    /** The session cannot go on: the client gets {@code BYE} with this text and the connection closes. */
    public static ImapParseException fatal(String message) {
        return new ImapParseException(message, null, false, true);
    }

    /** The RFC 5530 response code (without brackets), or null. */
    public String code() {
        return code;
    }

    /** Whether the tagged answer is NO rather than BAD. */
    public boolean isNo() {
        return no;
    }

    public boolean fatal() {
        return fatal;
    }
}
