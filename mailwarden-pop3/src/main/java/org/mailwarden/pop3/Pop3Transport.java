package org.mailwarden.pop3;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.mailwarden.core.net.LineReader;

/**
 * The connection as a POP3 session needs it: lines in, bytes out, TLS state and upgrade, and the server's
 * shutdown flag. The network implementation wraps a core {@code Connection}; tests can drive a session
 * through memory.
 */
interface Pop3Transport {

    /** A short id for log lines and lock holders. */
    String id();

    InetSocketAddress clientAddress();

    /** The address the client connected to. */
    InetSocketAddress localAddress();

    LineReader reader();

    OutputStream output();

    boolean isTls();

    /** Whether STLS can be offered: the server has a certificate and the connection is not yet TLS. */
    boolean canStartTls();

    /** Upgrades to TLS after the {@code +OK} for STLS (which this flushes first). */
    void startTls() throws IOException;

    void setIdleTimeout(Duration timeout) throws IOException;

    /** Whether the server is shutting down. */
    boolean draining();
}
