package org.mailwarden.pop3;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.core.net.LineReader;

/**
 * The listener's handler for a POP3 or POP3S listener: runs a {@link Pop3Session} on each accepted
 * {@link Connection}, and answers {@code -ERR [SYS/TEMP]} when the listener is over its connection limits.
 */
final class Pop3Connection implements ConnectionHandler {

    private final Pop3Context context;
    private final Supplier<SSLContext> tls;

    /** @param tls the TLS context for STLS, or null when STLS is not offered (no certificate, or POP3S) */
    Pop3Connection(Pop3Context context, Supplier<SSLContext> tls) {
        this.context = context;
        this.tls = tls;
    }

    @Override
    public void handle(Connection connection) throws IOException {
        new Pop3Session(context, new NetworkTransport(connection, tls)).run();
    }

    @Override
    public void rejectBusy(Connection connection) throws IOException {
        OutputStream out = connection.output();
        out.write("-ERR [SYS/TEMP] too many connections; try again later\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A session's view of a network connection. */
    private record NetworkTransport(Connection connection, Supplier<SSLContext> tls) implements Pop3Transport {
        @Override
        public String id() {
            return connection.id();
        }

        @Override
        public InetSocketAddress clientAddress() {
            return connection.clientAddress();
        }

        @Override
        public InetSocketAddress localAddress() {
            return connection.localAddress();
        }

        @Override
        public LineReader reader() {
            return connection.reader();
        }

        @Override
        public OutputStream output() {
            return connection.output();
        }

        @Override
        public boolean isTls() {
            return connection.isTls();
        }

        @Override
        public boolean canStartTls() {
            return tls != null && !connection.isTls();
        }

        @Override
        public void startTls() throws IOException {
            connection.startTls(tls.get());
        }

        @Override
        public void setIdleTimeout(Duration timeout) throws IOException {
            connection.setIdleTimeout(timeout);
        }

        @Override
        public boolean draining() {
            return connection.isDraining();
        }
    }
}
