package org.mailwarden.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;

/**
 * Runs one {@link SmtpSession} to its end over a {@link Transport}: reads command lines, performs the
 * session's {@link Step}s (replies, DATA and BDAT bodies, STARTTLS) and applies the RFC 5321 §4.5.3.2
 * timeouts, the data timeout while a body streams in and the command timeout otherwise. Replies to
 * pipelined commands are flushed together once no more input is waiting (RFC 2920). Lines that are not
 * clean CRLF lines are refused, never executed.
 */
final class SessionLoop {

    /** What the loop needs from a connection; the network one is {@link SmtpConnection}. */
    interface Transport {
        LineReader reader();

        /** Buffered: nothing leaves before {@code flush()}. */
        OutputStream output();

        void setTimeout(Duration timeout) throws IOException;

        /** Flushes pending output, drops buffered plaintext, runs the server side of the TLS handshake. */
        Connection.TlsInfo startTls() throws IOException;

        /** Whether the server is shutting down. */
        boolean draining();
    }

    private final SmtpSession session;
    private final Transport transport;
    private final String hostname;

    SessionLoop(SmtpSession session, Transport transport, String hostname) {
        this.session = session;
        this.transport = transport;
        this.hostname = hostname;
    }

    /**
     * Runs the session from greeting to hang-up or end of input; releases the session's resources. A
     * client that disappears inside a body loses that message, which was never acknowledged.
     */
    void run() throws IOException {
        try {
            Step step = session.greeting();
            while (step != null) {
                step = perform(step);
            }
        } catch (EOFException e) {
            session.connectionLost(e.getMessage());
        } finally {
            session.close();
        }
    }

    /** Performs one step and returns the next, or null when the connection is to be closed. */
    private Step perform(Step step) throws IOException {
        return switch (step) {
            case Step.Send s -> {
                send(s.reply(), transport.reader().available() == 0);
                yield nextCommand();
            }
            case Step.Hangup h -> {
                send(h.reply(), true);
                yield null;
            }
            case Step.ReceiveData d -> {
                send(d.go(), true);
                transport.setTimeout(session.settings().dataTimeout());
                new DataReader(transport.reader()).read(d.sink());
                yield session.dataEnded();
            }
            case Step.ReceiveChunk chunk -> {
                transport.setTimeout(session.settings().dataTimeout());
                transport.reader().readExactly(chunk.size(), chunk.sink());
                yield session.chunkEnded();
            }
            case Step.StartTls t -> {
                send(t.ready(), false); // startTls flushes it in clear, then drops pipelined plaintext
                session.tlsStarted(transport.startTls());
                yield nextCommand();
            }
        };
    }

    private Step nextCommand() throws IOException {
        if (transport.draining()) {
            return new Step.Hangup(Reply.of(421, "4.3.2", hostname + " Service shutting down"));
        }
        transport.setTimeout(session.settings().commandTimeout());
        LineReader reader = transport.reader();
        Line line = reader.readLine();
        return switch (line.ending()) {
            case EOF -> null;
            case TOO_LONG -> reader.skipRestOfLine() ? session.onMalformedLine(true)
                    : new Step.Hangup(Reply.of(500, "5.5.6", "Line too long"));
            case LF, CRLF -> line.isClean() ? session.onCommand(line.utf8()) : session.onMalformedLine(false);
        };
    }

    private void send(Reply reply, boolean flush) throws IOException {
        OutputStream out = transport.output();
        out.write(reply.bytes());
        if (flush) {
            out.flush();
        }
    }
}
