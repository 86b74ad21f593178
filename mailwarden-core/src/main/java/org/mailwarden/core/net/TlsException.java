package org.mailwarden.core.net;

import java.io.IOException;

/**
 * The server's certificate or key cannot be loaded or generated. The message names the file, what is
 * wrong with it and how to fix it, for the administrator reading the startup error.
 */
public final class TlsException extends IOException {

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
