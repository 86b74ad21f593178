package org.mailwarden.core.address;

/** A parsed {@code MAIL FROM:} argument: the reverse-path ({@link SmtpPath.Null} or a mailbox) and its parameters. */
public record MailFrom(SmtpPath reversePath, MailParameters parameters) {
}
