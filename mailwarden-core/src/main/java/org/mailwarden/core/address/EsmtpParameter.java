package org.mailwarden.core.address;

/**
 * The ESMTP parameters of {@code MAIL FROM} and {@code RCPT TO} that the path parser understands, each with
 * the command it belongs to. A server passes the set it advertises to {@link PathParser}; any other
 * parameter is refused with {@code 555 5.5.4}.
 */
public enum EsmtpParameter {
    /** RFC 1870 declared message size. */
    SIZE(true),
    /** RFC 6152 / RFC 3030 body type: 7BIT, 8BITMIME, BINARYMIME. */
    BODY(true),
    /** RFC 6531 internationalised addresses. */
    SMTPUTF8(true),
    /** RFC 3461 DSN: return full message or headers. */
    RET(true),
    /** RFC 3461 DSN: envelope identifier (xtext). */
    ENVID(true),
    /** RFC 4954 submitter identity (xtext). */
    AUTH(true),
    /** RFC 3461 DSN: when to notify. */
    NOTIFY(false),
    /** RFC 3461 DSN: original recipient (addr-type;xtext). */
    ORCPT(false);

    private final boolean mail;

    EsmtpParameter(boolean mail) {
        this.mail = mail;
    }

    /** Whether the parameter belongs to {@code MAIL FROM} (else to {@code RCPT TO}). */
    public boolean ofMail() {
        return mail;
    }
}
