package org.mailwarden.core.net;

import java.net.SocketTimeoutException;

/**
 * The client sent nothing for longer than the connection's idle timeout. Protocols catch it to send their
 * timeout reply (SMTP {@code 421 4.4.2}, IMAP {@code * BYE}) before the connection closes.
 */
public final class IdleTimeoutException extends SocketTimeoutException {

    public IdleTimeoutException() {
        super("idle timeout: the client sent nothing within the allowed time");
    }
}
