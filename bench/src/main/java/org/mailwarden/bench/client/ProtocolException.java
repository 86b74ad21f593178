package org.mailwarden.bench.client;

import java.io.IOException;

/** A server answered something other than what the benchmark step expected; the message quotes the reply. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
