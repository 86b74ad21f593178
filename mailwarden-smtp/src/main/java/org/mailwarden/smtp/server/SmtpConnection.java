package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.core.net.IdleTimeoutException;
import org.mailwarden.core.net.LineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's handler for one SMTP role: builds the session for each accepted {@link Connection}
 * and runs it with a {@link SessionLoop}; answers 421 when the listener is over its connection limits
 * or the client stays silent past a timeout.
 */
final class SmtpConnection implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger("org.mailwarden.smtp");
    /** RFC 4954 §4: an AUTH command line with its initial response may be this long. */
    static final int MAX_COMMAND_LINE = 12288;

    private final SmtpContext context;
    private final ListenerRole role;
    private final Supplier<SSLContext> tls;

    /** @param tls the TLS context for STARTTLS, or null when the server has none */
    SmtpConnection(SmtpContext context, ListenerRole role, Supplier<SSLContext> tls) {
        this.context = context;
        this.role = role;
        this.tls = tls;
    }

    @Override
    public void handle(Connection connection) throws IOException {
        ClientInfo client = new ClientInfo(role, connection.clientAddress().getAddress(),
                connection.localAddress().getAddress(), connection.tls().orElse(null),
                tls != null && !connection.isTls());
        connection.reader().setMaxLineLength(MAX_COMMAND_LINE);
        SmtpSession session = new SmtpSession(context, client, connection.id());
        try {
            new SessionLoop(session, new NetworkTransport(connection, tls), context.hostname()).run();
        } catch (IdleTimeoutException e) {
            LOG.info("{} client={} {} (command timeout {}), closing", connection.id(),
                    client.clientAddress().getHostAddress(), e.getMessage(), connection.idleTimeout());
            reply(connection, Reply.of(421, "4.4.2", context.hostname() + " Timeout, closing connection"));
        }
    }

    @Override
    public void rejectBusy(Connection connection) throws IOException {
        reply(connection, Reply.of(421, "4.7.0", context.hostname() + " Too many connections, try again later"));
    }

    private static void reply(Connection c, Reply reply) throws IOException {
        OutputStream out = c.output();
        out.write(reply.bytes());
        out.flush();
    }

    /** The session loop's view of a network connection. */
    private record NetworkTransport(Connection connection, Supplier<SSLContext> tls) implements SessionLoop.Transport {
        @Override
        public LineReader reader() {
            return connection.reader();
        }

        @Override
        public OutputStream output() {
            return connection.output();
        }

        @Override
        public void setTimeout(Duration timeout) throws IOException {
            connection.setIdleTimeout(timeout);
        }

        @Override
        public Connection.TlsInfo startTls() throws IOException {
            connection.startTls(tls.get());
            return connection.tls().orElseThrow();
        }

        @Override
        public boolean draining() {
            return connection.isDraining();
        }
    }
}
