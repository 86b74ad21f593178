package org.mailwarden.smtp.server;

/**
 * Why a received message body is refused, each with the reply the client gets once the whole body
 * (up to the end-of-data marker or the last BDAT chunk) has been consumed.
 */
public enum BodyProblem {
    /** Larger than the SIZE limit (RFC 1870). */
    TOO_BIG(Reply.of(552, "5.3.4", "Message size exceeds the fixed maximum message size")),
    /** A CR not followed by LF, or an LF not preceded by CR: the SMTP smuggling class (CVE-2023-51764). */
    BARE_NEWLINE(Reply.of(554, "5.6.0", "Message refused: bare CR or LF in the message; every line must end with CRLF")),
    /** A line longer than the limit (RFC 5322 §2.1.1 allows 998 octets before the CRLF). */
    LINE_TOO_LONG(Reply.of(554, "5.6.0", "Message refused: a line is longer than the limit")),
    /** More Received headers than the hop limit: probably a mail loop. */
    TOO_MANY_HOPS(Reply.of(554, "5.4.6", "Too many hops (Received headers): mail loop suspected")),
    /** The disk filled up while the body was spooled: the client should try again later. */
    NO_SPACE(Reply.of(452, "4.3.1", "Insufficient system storage")),
    /** Spooling the body failed for another reason of our own. */
    SPOOL_FAILED(Reply.of(451, "4.3.0", "Local error in processing; try again later"));

    private final Reply reply;

    BodyProblem(Reply reply) {
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }
}
