package org.mailwarden.core.address;

/** A parsed {@code RCPT TO:} argument: the forward-path and its parameters. */
public record RcptTo(SmtpPath forwardPath, RcptParameters parameters) {
}
