package org.mailwarden.smtp.server;

import java.io.OutputStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.mailwarden.core.address.MailFrom;
import org.mailwarden.core.address.MailParameters;
import org.mailwarden.core.address.PathException;
import org.mailwarden.core.address.PathParser;
import org.mailwarden.core.address.RcptTo;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.io.Spool;
import org.mailwarden.core.net.Connection;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.AcceptResult;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one SMTP connection (RFC 5321 with the extensions of the EHLO reply) as a state
 * machine over {@link Phase}. It does no I/O: the connection driver hands it each command line and
 * performs the {@link Step} it returns (send a reply, receive a body, start TLS, hang up). Every decision
 * is made against the policy snapshot current at that command, so an administrator's change reaches
 * open sessions at their next command. Every failed command counts; past the soft limit each failure
 * is answered more slowly, and at the hard limit the session ends with 421.
 */
final class SmtpSession {

    private static final Logger LOG = LoggerFactory.getLogger("org.mailwarden.smtp");
    /** What every log line of a session starts with. */
    private static final String PREFIX = "{} queue={} client={} helo={} auth={} ";

    /** Where the session is in the protocol. */
    enum Phase {
        /** Connected or just switched to TLS: EHLO or HELO comes next. */
        GREETED,
        /** Introduced, no transaction open. */
        READY,
        /** MAIL accepted: RCPT, then DATA or BDAT. */
        MAIL,
        /** Inside a BDAT sequence that has not seen LAST. */
        CHUNKING,
        /** A SASL exchange is in progress: the next line is a response, not a command. */
        AUTH
    }

    private static final Pattern HELO_NAME = Pattern.compile("[\\x21-\\x7e&&[^<>()\\\\\"]]{1,255}");
    private static final Pattern BDAT = Pattern.compile("(?i)BDAT +(\\d{1,18})( +LAST)? *");

    private final SmtpContext context;
    private final ClientInfo client;
    private final String id;
    private Phase phase = Phase.GREETED;
    private Connection.TlsInfo tls;
    private String helo;
    private boolean ehlo;
    private Authentication.Identity identity;
    private Authentication.Exchange saslExchange;
    private Transaction transaction;
    /** The reply owed for a BDAT chunk that is read only to stay in step (no transaction to add it to). */
    private Reply refusedChunk;
    private boolean chunkLast;
    private long chunkSize;
    private int failures;
    private PolicySnapshot policy;

    SmtpSession(SmtpContext context, ClientInfo client, String connectionId) {
        this.context = context;
        this.client = client;
        this.id = connectionId;
        this.tls = client.tls();
        this.policy = context.policy().current();
    }

    /** The 220 greeting (RFC 2034 exempts it from enhanced codes). */
    Step greeting() {
        return new Step.Send(Reply.plain(220, List.of(context.hostname() + " ESMTP mailwarden")));
    }

    /** The settings in force now, for the driver's timeouts. */
    SmtpSettings settings() {
        return policy.settings();
    }

    /** Handles one CRLF-terminated command line (or SASL response), decoded as UTF-8. */
    Step onCommand(String line) {
        policy = context.policy().current();
        if (phase == Phase.AUTH) {
            return auth(saslExchange.respond(line));
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "EHLO" -> hello(argument, true);
            case "HELO" -> hello(argument, false);
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> data(argument);
            case "BDAT" -> bdat(line);
            case "RSET" -> rset();
            case "NOOP" -> ok(Reply.of(250, "2.0.0", "Ok"));
            case "QUIT" -> new Step.Hangup(Reply.of(221, "2.0.0", "Bye"));
            case "HELP" -> ok(Reply.of(214, "2.0.0", List.of("Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT",
                    "HELP VRFY STARTTLS AUTH", "See RFC 5321")));
            case "VRFY" -> argument.isBlank() ? fail(Reply.of(501, "5.5.4", "Syntax: VRFY address"))
                    : ok(Reply.of(252, "2.0.0", "Cannot VRFY user, but will accept the message and attempt delivery"));
            case "EXPN" -> fail(Reply.of(502, "5.5.1", "EXPN is not available"));
            case "STARTTLS" -> startTls(argument);
            case "AUTH" -> authStart(argument);
            default -> fail(Reply.of(500, "5.5.2", "Command not recognized"));
        };
    }

    /** A command line that ended in a bare LF, held a bare CR, or was too long: never executed. */
    Step onMalformedLine(boolean tooLong) {
        policy = context.policy().current();
        boolean inSasl = phase == Phase.AUTH;
        if (inSasl) {
            endSasl();
        }
        if (!tooLong) {
            return fail(Reply.of(500, "5.5.2", "Bare CR or LF in command; lines must end with CRLF"));
        }
        return fail(inSasl ? Reply.of(500, "5.5.6", "Authentication exchange line is too long")
                : Reply.of(500, "5.5.2", "Line too long"));
    }

    // --- EHLO / HELO -----------------------------------------------------------------------------

    private Step hello(String argument, boolean extended) {
        String name = argument.strip();
        if (!HELO_NAME.matcher(name).matches()) {
            return fail(Reply.of(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname"));
        }
        resetTransaction();
        helo = name;
        ehlo = extended;
        phase = Phase.READY;
        if (!extended) {
            return ok(Reply.plain(250, List.of(context.hostname())));
        }
        List<String> lines = new ArrayList<>();
        lines.add(context.hostname() + " greets " + name);
        lines.add("PIPELINING");
        lines.add("SIZE " + policy.settings().maxMessageSize());
        lines.add("8BITMIME");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        lines.add("DSN");
        if (tls == null && client.startTlsAvailable()) {
            lines.add("STARTTLS");
        }
        if (authOffered() && identity == null) {
            lines.add("AUTH " + String.join(" ", context.authentication().mechanisms()));
        }
        return ok(Reply.plain(250, lines));
    }

    // --- MAIL ----------------------------------------------------------------------------------

    private Step mail(String argument) {
        if (phase == Phase.GREETED) {
            return fail(Reply.of(503, "5.5.1", "Send EHLO or HELO first"));
        }
        if (phase != Phase.READY) {
            return fail(Reply.of(503, "5.5.1", "Nested MAIL command"));
        }
        if (client.role() != ListenerRole.SMTP && identity == null) {
            return fail(tls == null ? Reply.of(530, "5.7.0", "Must issue a STARTTLS command first")
                    : Reply.of(530, "5.7.0", "Authentication required"));
        }
        if (!argument.regionMatches(true, 0, "FROM:", 0, 5)) {
            return fail(Reply.of(501, "5.5.4", "Syntax: MAIL FROM:<address>"));
        }
        MailFrom from;
        try {
            from = parser().parseMailFrom(argument.substring(5));
        } catch (PathException e) {
            log("mail from={} refused reason=syntax ({})", printable(argument.substring(5)), e.getMessage());
            return fail(Reply.of(e.code(), e.enhancedCode(), e.getMessage()));
        }
        MailParameters p = from.parameters();
        if (p.size().isPresent() && p.size().getAsLong() > policy.settings().maxMessageSize()) {
            return fail(Reply.of(552, "5.3.4", "Message size exceeds the fixed maximum message size"));
        }
        if (p.body() == MailParameters.Body.BINARY_MIME) {
            return fail(Reply.of(555, "5.5.4", "BODY=BINARYMIME is not supported"));
        }
        EnvelopeChecks.SenderVerdict verdict = context.checks().sender(from.reversePath(), client, identity, policy);
        String sender = verdict.address();
        if (!verdict.allowed()) {
            log("mail from=<{}> refused reason={}", sender, verdict.reason());
            return fail(verdict.reply());
        }
        transaction = new Transaction(QueueIds.next(), sender, verdict.localSender(), p);
        phase = Phase.MAIL;
        log("mail from=<{}> size={} reason={}", sender, p.size().isPresent() ? p.size().getAsLong() : "-", verdict.reason());
        return ok(verdict.reply());
    }

    // --- RCPT ----------------------------------------------------------------------------------

    private Step rcpt(String argument) {
        if (phase == Phase.CHUNKING) {
            return fail(Reply.of(503, "5.5.1", "RCPT not allowed during BDAT"));
        }
        if (phase != Phase.MAIL) {
            return fail(Reply.of(503, "5.5.1", "Need MAIL command first"));
        }
        if (!argument.regionMatches(true, 0, "TO:", 0, 3)) {
            return fail(Reply.of(501, "5.5.4", "Syntax: RCPT TO:<address>"));
        }
        RcptTo to;
        try {
            to = parser().parseRcptTo(argument.substring(3), transaction.smtputf8());
        } catch (PathException e) {
            log("rcpt to={} refused reason=syntax ({})", printable(argument.substring(3)), e.getMessage());
            return fail(Reply.of(e.code(), e.enhancedCode(), e.getMessage()));
        }
        if (transaction.recipientCount() >= policy.settings().maxRecipients()) {
            log("rcpt refused reason=recipient limit {}", policy.settings().maxRecipients());
            return fail(Reply.of(452, "4.5.3", "Too many recipients"));
        }
        EnvelopeChecks.RecipientVerdict v = context.checks().recipient(to, client, identity, tls, policy);
        log("rcpt to=<{}> decision={} reason={}", v.address(), v.decision(), v.reason());
        return switch (v.decision()) {
            case LOCAL -> {
                transaction.addLocal(v.address(), v.accountIds());
                yield ok(v.reply());
            }
            case RELAY -> {
                transaction.addOutbound(v.key(), v.outbound());
                yield ok(v.reply());
            }
            case REFUSED -> fail(v.reply());
        };
    }

    // --- DATA and BDAT ---------------------------------------------------------------------------

    private Step data(String argument) {
        if (!argument.isBlank()) {
            return fail(Reply.of(501, "5.5.4", "Syntax: DATA (no arguments)"));
        }
        if (phase == Phase.CHUNKING) {
            return fail(Reply.of(503, "5.5.1", "DATA not allowed after BDAT"));
        }
        if (phase != Phase.MAIL) {
            return fail(Reply.of(503, "5.5.1", "Need MAIL command first"));
        }
        if (transaction.recipientCount() == 0) {
            return fail(Reply.of(554, "5.5.1", "No valid recipients"));
        }
        Transaction.Body body = openBody();
        return new Step.ReceiveData(Reply.intermediate(354, "End data with <CR><LF>.<CR><LF>"), body.sink());
    }

    /** The body of DATA has been read to its end-of-data marker. */
    Step dataEnded() {
        return finishMessage();
    }

    private Step bdat(String line) {
        var m = BDAT.matcher(line);
        if (!m.matches()) {
            return fail(Reply.of(501, "5.5.4", "Syntax: BDAT size [LAST]"));
        }
        long size = Long.parseLong(m.group(1));
        boolean last = m.group(2) != null;
        // The chunk is on its way whatever we answer: read it, then refuse, so we stay in step (RFC 3030 §3).
        Reply refusal = null;
        if (phase != Phase.MAIL && phase != Phase.CHUNKING) {
            refusal = Reply.of(503, "5.5.1", "Need MAIL command first");
        } else if (transaction.recipientCount() == 0) {
            refusal = Reply.of(554, "5.5.1", "No valid recipients");
        }
        if (refusal != null) {
            refusedChunk = refusal;
            return new Step.ReceiveChunk(size, OutputStream.nullOutputStream());
        }
        if (transaction.body() == null) {
            openBody();
        }
        phase = Phase.CHUNKING;
        chunkLast = last;
        chunkSize = size;
        return new Step.ReceiveChunk(size, transaction.body().sink());
    }

    /** A BDAT chunk has been read completely. */
    Step chunkEnded() {
        if (refusedChunk != null) {
            Reply r = refusedChunk;
            refusedChunk = null;
            return fail(r);
        }
        if (chunkLast) {
            return finishMessage();
        }
        BodyProblem problem = transaction.body().sink().problem();
        if (problem != null) {
            return fail(problem.reply()); // said at once; later chunks are read and get the same answer
        }
        return ok(Reply.of(250, "2.0.0", chunkSize + " octets received"));
    }

    private Transaction.Body openBody() {
        Spool.Writer writer = context.newSpool(policy.settings().maxMessageSize());
        Transaction.Body body = new Transaction.Body(writer, new BodySink(writer, policy.settings().bodyLimits()));
        transaction.startBody(body);
        return body;
    }

    /** The body is complete: check it, store it durably, and only then answer 250. */
    private Step finishMessage() {
        Transaction t = transaction;
        try {
            BodyProblem problem = t.body().sink().finish();
            long size = t.body().sink().size();
            if (problem != null) {
                log("message refused from=<{}> size={} reason={}", t.sender, size, problem);
                return fail(problem.reply());
            }
            AcceptResult result = context.store().accept(acceptRequest(t));
            log("message queued from=<{}> size={} local={} outbound={} result=250", t.sender, size,
                    result.delivered().size(), t.outboundCount());
            return ok(Reply.of(250, "2.0.0", "Ok: queued as " + t.queueId));
        } catch (StoreException e) {
            Reply reply = e.kind() == StoreException.Kind.DISK_FULL
                    ? Reply.of(452, "4.3.1", "Insufficient system storage")
                    : Reply.of(451, "4.3.0", "Local error in processing; try again later");
            warn(e, "message not stored from=<{}> reason={} ({}) result={}", t.sender, e.kind(), e.getMessage(),
                    reply.code());
            return fail(reply);
        } catch (java.io.IOException e) {
            // the spool's last flush: a full disk is 452 like the store's, anything else 451
            boolean full = String.valueOf(e.getMessage()).contains("No space left");
            Reply reply = full ? Reply.of(452, "4.3.1", "Insufficient system storage")
                    : Reply.of(451, "4.3.0", "Local error in processing; try again later");
            warn(e, "message not stored from=<{}> reason={} result={}", t.sender, full ? "disk full" : "spool error",
                    reply.code());
            return fail(reply);
        } catch (RuntimeException e) {
            warn(e, "message not stored from=<{}> reason=unexpected error result=451", t.sender);
            return fail(Reply.of(451, "4.3.0", "Local error in processing; try again later"));
        } finally {
            resetTransaction();
        }
    }

    private AcceptRequest acceptRequest(Transaction t) throws java.io.IOException {
        String received = TraceHeaders.received(new TraceHeaders.Hop(helo, ehlo, client.clientAddress(),
                context.hostname(), tls, identity != null, t.smtputf8(), t.queueId, t.singleRecipient(),
                ZonedDateTime.now()));
        boolean notifyAllowed = identity != null || t.senderLocal || context.checks().trustedNetwork(client, policy);
        return t.acceptRequest(received, notifyAllowed);
    }

    // --- RSET, STARTTLS ------------------------------------------------------------------------

    private Step rset() {
        resetTransaction();
        return ok(Reply.of(250, "2.0.0", "Ok"));
    }

    private Step startTls(String argument) {
        if (!argument.isBlank()) {
            return fail(Reply.of(501, "5.5.4", "Syntax: STARTTLS (no arguments)"));
        }
        if (tls != null) {
            return fail(Reply.of(503, "5.5.1", "TLS already active"));
        }
        if (!client.startTlsAvailable()) {
            return fail(Reply.of(502, "5.5.1", "STARTTLS not available"));
        }
        if (phase == Phase.MAIL || phase == Phase.CHUNKING) {
            return fail(Reply.of(503, "5.5.1", "STARTTLS not allowed during a mail transaction"));
        }
        return new Step.StartTls(Reply.of(220, "2.0.0", "Ready to start TLS"));
    }

    /**
     * TLS is up. Everything learned in plaintext is forgotten (RFC 3207 §4.2): the client must send EHLO
     * again, and nothing it pipelined before the handshake is ever read.
     */
    void tlsStarted(Connection.TlsInfo info) {
        tls = info;
        resetTransaction();
        helo = null;
        ehlo = false;
        identity = null;
        phase = Phase.GREETED;
        log("tls started protocol={} cipher={}", info.protocol(), info.cipherSuite());
    }

    // --- AUTH ----------------------------------------------------------------------------------

    /** AUTH is offered on TLS only; on the MTA port only when the setting allows it. */
    private boolean authOffered() {
        return tls != null && (client.role() != ListenerRole.SMTP || policy.settings().authOnMta());
    }

    private Step authStart(String argument) {
        if (phase == Phase.GREETED || !ehlo) {
            return fail(Reply.of(503, "5.5.1", "Send EHLO first"));
        }
        if (identity != null) {
            return fail(Reply.of(503, "5.5.1", "Already authenticated"));
        }
        if (phase != Phase.READY) {
            return fail(Reply.of(503, "5.5.1", "AUTH not allowed during a mail transaction"));
        }
        if (client.role() == ListenerRole.SMTP && !policy.settings().authOnMta()) {
            return fail(Reply.of(502, "5.5.1", "AUTH not available on this port; use the submission port"));
        }
        if (tls == null) {
            return fail(Reply.of(538, "5.7.11", "Encryption required for authentication: issue STARTTLS first"));
        }
        String[] parts = argument.strip().split(" +", 3);
        if (parts[0].isEmpty() || parts.length > 2) {
            return fail(Reply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]"));
        }
        Authentication.Start start = context.authentication().start(parts[0], client.clientAddress(),
                parts.length == 2 ? parts[1] : null);
        saslExchange = start.exchange();
        return auth(start.outcome());
    }

    private Step auth(Authentication.Outcome outcome) {
        return switch (outcome) {
            case Authentication.Outcome.Challenge c -> {
                phase = Phase.AUTH;
                yield new Step.Send(Reply.intermediate(334, c.base64()));
            }
            case Authentication.Outcome.Success s -> {
                endSasl();
                identity = s.identity();
                log("auth ok user={} mechanism={}", s.identity().address(), s.mechanism());
                yield ok(Reply.of(235, "2.7.0", "Authentication successful"));
            }
            case Authentication.Outcome.Failure f -> {
                endSasl();
                log("auth failed mechanism={} reason={}", f.mechanism(), f.reason());
                yield fail(f.reply());
            }
        };
    }

    private void endSasl() {
        saslExchange = null;
        if (phase == Phase.AUTH) {
            phase = Phase.READY;
        }
    }

    // --- bookkeeping ---------------------------------------------------------------------------

    /** The client went away in the middle of something; logged when a transaction was open. */
    void connectionLost(String what) {
        if (transaction != null) {
            log("connection lost, message discarded ({})", what);
        }
    }

    /** The connection is gone: drop any half-received message and its spool. */
    void close() {
        if (phase == Phase.AUTH) {
            endSasl();
        }
        resetTransaction();
    }

    private PathParser parser() {
        return context.parser(ehlo);
    }

    private void resetTransaction() {
        if (transaction != null) {
            transaction.discard();
            transaction = null;
        }
        if (phase == Phase.MAIL || phase == Phase.CHUNKING) {
            phase = Phase.READY;
        }
    }

    private static Step ok(Reply reply) {
        return new Step.Send(reply);
    }

    /** Counts a failed command; slows down past the soft limit and hangs up at the hard limit. */
    private Step fail(Reply reply) {
        failures++;
        SmtpSettings s = policy.settings();
        if (failures >= s.errorHardLimit()) {
            log("closing after {} failed commands", failures);
            resetTransaction();
            return new Step.Hangup(Reply.of(421, "4.7.0", context.hostname() + " Too many errors, closing connection"));
        }
        Duration delay = s.delayAfter(failures);
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Step.Send(reply);
    }

    /** Client text made safe for a log line: control characters escaped, length capped. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 300; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One log line per event, always with the connection id, queue id, client, HELO and user. */
    private void log(String format, Object... args) {
        if (LOG.isInfoEnabled()) {
            LOG.info(PREFIX + format, withPrefix(args, null));
        }
    }

    /** A server-side failure: the same line at WARN, with the exception for the operator. */
    private void warn(Throwable cause, String format, Object... args) {
        LOG.warn(PREFIX + format, withPrefix(args, cause));
    }

    private Object[] withPrefix(Object[] args, Throwable cause) {
        Object[] all = new Object[args.length + 5 + (cause == null ? 0 : 1)];
        all[0] = id;
        all[1] = transaction == null ? "-" : transaction.queueId;
        all[2] = client.clientAddress().getHostAddress();
        all[3] = helo == null ? "-" : helo;
        all[4] = identity == null ? "-" : identity.address();
        System.arraycopy(args, 0, all, 5, args.length);
        if (cause != null) {
            all[all.length - 1] = cause; // SLF4J prints a trailing Throwable as the stack trace
        }
        return all;
    }
}
