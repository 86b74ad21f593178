package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.core.net.IdleTimeoutException;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link SmtpSession} over a network {@link Connection}: reads command lines, performs the
 * session's {@link Step}s (replies, DATA and BDAT bodies, STARTTLS) and applies the RFC 5321 §4.5.3.2
 * timeouts, the data timeout while a body streams in and the command timeout otherwise. Replies to
 * pipelined commands are flushed together once no more input is waiting (RFC 2920).
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
        SmtpSession session = new SmtpSession(context, client, connection.id());
        LineReader reader = connection.reader();
        reader.setMaxLineLength(MAX_COMMAND_LINE);
        try {
            Step step = session.greeting();
            while (step != null) {
                step = perform(step, session, connection);
            }
        } catch (IdleTimeoutException e) {
            LOG.info("{} client={} timeout after {}", connection.id(), client.clientAddress().getHostAddress(),
                    connection.idleTimeout());
            send(connection, Reply.of(421, "4.4.2", context.hostname() + " Timeout, closing connection"), true);
        } finally {
            session.close();
        }
    }

    @Override
    public void rejectBusy(Connection connection) throws IOException {
        send(connection, Reply.of(421, "4.7.0", context.hostname() + " Too many connections, try again later"), true);
    }

    /** Performs one step and returns the next, or null when the connection is to be closed. */
    private Step perform(Step step, SmtpSession session, Connection c) throws IOException {
        return switch (step) {
            case Step.Send s -> {
                send(c, s.reply(), c.reader().available() == 0);
                yield nextCommand(session, c);
            }
            case Step.Hangup h -> {
                send(c, h.reply(), true);
                yield null;
            }
            case Step.ReceiveData d -> {
                send(c, d.go(), true);
                c.setIdleTimeout(session.settings().dataTimeout());
                new DataReader(c.reader()).read(d.sink());
                yield session.dataEnded();
            }
            case Step.ReceiveChunk chunk -> {
                c.setIdleTimeout(session.settings().dataTimeout());
                c.reader().readExactly(chunk.size(), chunk.sink());
                yield session.chunkEnded();
            }
            case Step.StartTls t -> {
                send(c, t.ready(), false); // startTls flushes it in clear, then drops pipelined plaintext
                c.startTls(tls.get());
                session.tlsStarted(c.tls().orElseThrow());
                yield nextCommand(session, c);
            }
        };
    }

    /** Reads the next command line; lines that are not clean CRLF lines are refused, never executed. */
    private Step nextCommand(SmtpSession session, Connection c) throws IOException {
        if (c.isDraining()) {
            return new Step.Hangup(Reply.of(421, "4.3.2", context.hostname() + " Service shutting down"));
        }
        c.setIdleTimeout(session.settings().commandTimeout());
        LineReader reader = c.reader();
        Line line = reader.readLine();
        return switch (line.ending()) {
            case EOF -> null;
            case TOO_LONG -> reader.skipRestOfLine() ? session.onMalformedLine(true) : null;
            case LF, CRLF -> line.isClean() ? session.onCommand(line.utf8()) : session.onMalformedLine(false);
        };
    }

    private static void send(Connection c, Reply reply, boolean flush) throws IOException {
        OutputStream out = c.output();
        out.write(reply.bytes());
        if (flush) {
            out.flush();
        }
    }
}
