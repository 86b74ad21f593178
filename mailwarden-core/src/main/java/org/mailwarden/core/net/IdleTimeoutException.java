package org.mailwarden.core.net;

import java.net.SocketTimeoutException;

/**
 * The client sent nothing for longer than the connection's idle timeout, or took longer than the line
 * deadline to complete a line it had begun ({@link LineReader#setLineDeadline}). Protocols catch it to send
 * their timeout reply (SMTP {@code 421 4.4.2}, IMAP {@code * BYE}) before the connection closes.
 */
public final class IdleTimeoutException extends SocketTimeoutException {

    public IdleTimeoutException() {
        super("idle timeout: the client sent nothing within the allowed time");
    }

    /** @param message what the client took too long for, for the log */
    public IdleTimeoutException(String message) {
        super(message);
    }
}
