package org.mailwarden.core.net;

import java.io.IOException;

/**
 * A protocol's session code, called by a {@link Listener} in the connection's own virtual thread. The
 * listener owns the connection: it logs, counts and closes it after {@link #handle} returns or throws.
 */
public interface ConnectionHandler {

    /** Runs one session to its end; for implicit-TLS listeners the handshake is already done. */
    void handle(Connection connection) throws IOException;

    /**
     * Tells a client that the server has too many connections (in total or from its address) before the
     * listener closes the connection, e.g. SMTP {@code 421 4.7.0 Too many connections}. The default sends
     * nothing.
     */
    default void rejectBusy(Connection connection) throws IOException {
    }
}
