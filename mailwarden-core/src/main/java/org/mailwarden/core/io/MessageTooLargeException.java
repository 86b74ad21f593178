package org.mailwarden.core.io;

import java.io.IOException;

/**
 * A message grew past the size limit while it was being spooled. The protocol keeps reading (and dropping)
 * the rest of the client's data to stay in sync, then refuses the message (SMTP {@code 552 5.3.4}).
 */
public final class MessageTooLargeException extends IOException {

    private final long limit;

    public MessageTooLargeException(long limit) {
        super("message exceeds the size limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
