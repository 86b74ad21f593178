package org.mailwarden.core.address;

/**
 * A {@code MAIL FROM} or {@code RCPT TO} argument the server must refuse, carrying the complete SMTP reply:
 * the basic code (501 for syntax errors in the path or in a parameter value, 553 for a well-formed mailbox
 * the server does not accept, such as a non-ASCII address without SMTPUTF8, 555 for a parameter that is not
 * recognised or not implemented) and the RFC 3463 enhanced code. The message never echoes the client's
 * input, so it is always safe to send back on one line.
 */
public final class PathException extends Exception {

    private final int code;
    private final String enhancedCode;

    public PathException(int code, String enhancedCode, String message) {
        super(message);
        this.code = code;
        this.enhancedCode = enhancedCode;
    }

    /** The three-digit SMTP reply code. */
    public int code() {
        return code;
    }

    /** The enhanced status code, such as {@code 5.1.3}. */
    public String enhancedCode() {
        return enhancedCode;
    }

    /** The reply line without CRLF, e.g. {@code 501 5.1.3 Bad recipient address syntax: empty label in domain}. */
    public String reply() {
        return code + " " + enhancedCode + " " + getMessage();
    }
}
