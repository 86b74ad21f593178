package org.mailwarden.pop3;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.mailwarden.core.net.IdleTimeoutException;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 conversation: greets, then reads command lines and hands each well-formed command to the
 * current {@link SessionState} until QUIT, the end of the connection, the idle timeout, server shutdown or
 * too many errors. Malformed lines are answered here with {@code -ERR}. Replies to pipelined commands
 * (RFC 2449 PIPELINING) are flushed together once no more input is waiting. Whatever ends the session,
 * the state is {@linkplain SessionState#abandon() abandoned} unless QUIT completed, so a dropped
 * connection deletes nothing and the maildrop lock is released; one log line sums the session up.
 */
final class Pop3Session {

    static final Logger LOG = LoggerFactory.getLogger("org.mailwarden.pop3");

    /** RFC 5034 §4: a SASL response line is not limited to 255 octets; this fits {@code SaslCodec}'s bound. */
    static final int MAX_SASL_LINE = 12_288;

    private final Pop3Context context;
    private final Pop3Transport transport;
    private final Pop3Output out;
    private final SessionStats stats = new SessionStats();
    private final Pop3Settings settings;

    Pop3Session(Pop3Context context, Pop3Transport transport) {
        this.context = context;
        this.transport = transport;
        this.out = new Pop3Output(transport.output());
        this.settings = context.settings().current();
    }

    Pop3Context context() {
        return context;
    }

    Pop3Transport transport() {
        return transport;
    }

    Pop3Output out() {
        return out;
    }

    SessionStats stats() {
        return stats;
    }

    /** The settings this session started with. */
    Pop3Settings settings() {
        return settings;
    }

    /** Whether the client may send a password in clear: over TLS, or where the administrator allows it. */
    boolean plaintextAllowed() {
        return transport.isTls() || context.settings().current().allowsPlaintext(transport.localAddress());
    }

    /** For log lines: {@code conn=ID client=IP}. */
    String who() {
        InetSocketAddress client = transport.clientAddress();
        return "conn=" + transport.id() + " client=" + client.getAddress().getHostAddress();
    }

    void run() throws IOException {
        LineReader reader = transport.reader();
        reader.setMaxLineLength(CommandParser.MAX_LINE);
        transport.setIdleTimeout(settings.idleTimeout());
        SessionState state = new AuthorizationState(this);
        String end = "connection lost";
        try {
            out.ok(context.hostname() + " POP3 server ready");
            out.flush();
            while (state != null) {
                Line line = reader.readLine();
                if (line.isEof()) {
                    end = line.length() == 0 ? "client closed the connection" : "client closed the connection mid-line";
                    break;
                }
                state = answer(state, line);
                if (state == null) {
                    end = "quit";
                } else if (out.errors() >= settings.maxErrors()) {
                    out.err("too many errors, closing the connection");
                    end = "too many errors";
                    break;
                }
                if (reader.buffered() == 0 || state == null) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IdleTimeoutException e) {
            end = e.getMessage();
            out.err("autologout: idle for more than " + settings.idleTimeout().toMinutes() + " minutes");
            out.flush();
        } catch (MultilineBody.ReadFailure e) {
            end = "message body unreadable mid-response: " + e.getCause().getMessage();
        } catch (Closing c) {
            end = c.getMessage();
            out.flush();
        } finally {
            if (state != null) {
                state.abandon();
            }
            LOG.info("{} pop3 session ended ({}): {}", who(), end, stats.summary());
        }
    }

    private SessionState answer(SessionState state, Line line) throws IOException {
        switch (line.ending()) {
            case TOO_LONG -> {
                out.err("command line too long (at most 255 octets with CRLF)");
                if (!transport.reader().skipRestOfLine()) {
                    throw new Closing("endless command line");
                }
                return state;
            }
            case LF -> {
                out.err("a command line must end with CRLF");
                return state;
            }
            default -> {
                // CRLF; a bare CR inside is a control character the parser refuses
            }
        }
        return switch (CommandParser.parse(line.bytes())) {
            case CommandParser.Parsed.Invalid invalid -> {
                out.err(invalid.reply());
                yield state;
            }
            case CommandParser.Parsed.Ok ok -> {
                if (transport.draining() && ok.command().verb() != Verb.QUIT) {
                    out.err(ResponseCode.SYS_TEMP, "the server is shutting down; try again in a minute");
                    throw new Closing("server shutdown");
                }
                yield state.handle(ok.command());
            }
        };
    }

    /**
     * Reads one line of a SASL exchange, which may be longer than a command line.
     *
     * @throws Closing when the client closes the connection or sends an endless line
     */
    String readSaslLine() throws IOException {
        out.flush();
        LineReader reader = transport.reader();
        reader.setMaxLineLength(MAX_SASL_LINE);
        try {
            Line line = reader.readLine();
            switch (line.ending()) {
                case EOF -> throw new Closing("client closed the connection during authentication");
                case TOO_LONG -> {
                    if (!reader.skipRestOfLine()) {
                        throw new Closing("endless authentication line");
                    }
                    return null;
                }
                case LF -> {
                    return null;
                }
                default -> {
                    return line.isClean() && line.isAscii() ? line.ascii() : null;
                }
            }
        } finally {
            reader.setMaxLineLength(CommandParser.MAX_LINE);
        }
    }

    /** Ends the session early with a reason for the log; whatever was written is flushed. */
    static final class Closing extends IOException {
        Closing(String reason) {
            super(reason);
        }
    }
}
