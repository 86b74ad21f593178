package org.mailwarden.smtp.outbound;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.core.address.Xtext;
import org.mailwarden.store.Routes.RouteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session with one next hop, as a sequence of states: greeting, EHLO (HELO when EHLO is refused),
 * STARTTLS whenever offered (then EHLO again), AUTH when the route has credentials, then any number of
 * mail transactions, then QUIT. {@link #open} fails with a {@link HopFailure} when the session cannot be
 * set up, so the caller tries the next host; {@link #deliver} never throws for what the server does, it
 * returns one {@link DeliveryResult} per recipient, and marks the session unusable when the connection
 * broke.
 */
final class HopSession implements Closeable {

    /** What a session needs to know besides the host: our name, TLS, the route's options, the timeouts. */
    record Policy(String heloName, ClientTls tls, RouteOptions options, ClientTimeouts timeouts) {
    }

    /** The body of a message, opened once per transaction. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /** The session could not be set up with this host; {@link #result()} is the deferral to record. */
    static final class HopFailure extends Exception {
        private final transient DeliveryResult result;
        private final boolean tlsHandshake;

        HopFailure(DeliveryResult result) {
            this(result, false);
        }

        private HopFailure(DeliveryResult result, boolean tlsHandshake) {
            super(result.text());
            this.result = result;
            this.tlsHandshake = tlsHandshake;
        }

        DeliveryResult result() {
            return result;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HopSession.class);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);

    private final SmtpClient client;
    private final Extensions extensions;
    private final ClientTimeouts timeouts;
    private boolean usable = true;
    private boolean needsReset;

    private HopSession(SmtpClient client, Extensions extensions, ClientTimeouts timeouts) {
        this.client = client;
        this.extensions = extensions;
        this.timeouts = timeouts;
    }

    /**
     * Opens a session with {@code hop}. When opportunistic STARTTLS fails in the handshake, the session is
     * opened again without it, as MTAs do: plain text is no worse than what the hop offered before TLS.
     */
    static HopSession open(NextHop hop, Policy policy) throws HopFailure {
        try {
            return open(hop, policy, true);
        } catch (HopFailure f) {
            if (!f.tlsHandshake || policy.options().requireVerifiedTls()) {
                throw f;
            }
            LOG.info("outbound STARTTLS with {} failed ({}); delivering without TLS", hop, f.getMessage());
            return open(hop, policy, false);
        }
    }

    private static HopSession open(NextHop hop, Policy policy, boolean startTls) throws HopFailure {
        ClientTimeouts t = policy.timeouts();
        SmtpClient client;
        try {
            client = SmtpClient.connect(hop, t.connect());
        } catch (IOException e) {
            throw new HopFailure(DeliveryResult.deferred("4.4.1", "connect to " + hop + ": " + reason(e)));
        }
        String stage = "greeting";
        try {
            ServerReply greeting = client.read(t.greeting());
            if (greeting.code() != 220) {
                throw refused(hop, greeting);
            }
            stage = "EHLO";
            Extensions ext = hello(client, policy.heloName(), t);
            RouteOptions options = policy.options();
            if (ext.startTls() && startTls) {
                stage = "STARTTLS";
                ServerReply r = client.command("STARTTLS", t.command());
                if (r.code() == 220) {
                    client.startTls(policy.tls().context(options.requireVerifiedTls()), options.requireVerifiedTls(),
                            t.command());
                    stage = "EHLO after STARTTLS";
                    ServerReply again = client.command("EHLO " + policy.heloName(), t.command());
                    if (!again.positive()) {
                        throw refused(hop, again);
                    }
                    ext = Extensions.parse(again.lines());
                } else if (options.requireVerifiedTls()) {
                    throw refused(hop, r);
                }
            }
            if (options.requireVerifiedTls() && client.tls() == null) {
                throw new HopFailure(DeliveryResult.deferred("4.7.4",
                        "TLS is required for this route, but " + hop + " does not offer STARTTLS"));
            }
            if (options.authenticates()) {
                stage = "AUTH";
                authenticate(client, ext, options, t);
            }
            HopSession session = new HopSession(client, ext, t);
            client = null;
            return session;
        } catch (javax.net.ssl.SSLException e) {
            throw new HopFailure(DeliveryResult.deferred("4.7.5", "TLS with " + hop + " failed: " + reason(e)), true);
        } catch (IOException e) {
            throw new HopFailure(DeliveryResult.deferred("4.4.2", hop + " during " + stage + ": " + reason(e)));
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static Extensions hello(SmtpClient client, String name, ClientTimeouts t) throws IOException, HopFailure {
        ServerReply ehlo = client.command("EHLO " + name, t.command());
        if (ehlo.positive()) {
            return Extensions.parse(ehlo.lines());
        }
        if (ehlo.permanentFailure()) {
            ServerReply helo = client.command("HELO " + name, t.command());
            if (helo.positive()) {
                return Extensions.NONE;
            }
            throw refused(client.hop(), helo);
        }
        throw refused(client.hop(), ehlo);
    }

    private static void authenticate(SmtpClient client, Extensions ext, RouteOptions options, ClientTimeouts t)
            throws IOException, HopFailure {
        NextHop hop = client.hop();
        if (client.tls() == null) {
            throw new HopFailure(DeliveryResult.deferred("4.7.0", "not sending AUTH credentials to " + hop
                    + " without TLS (it does not offer STARTTLS)"));
        }
        ServerReply r;
        if (ext.auth().contains("PLAIN")) {
            r = client.command("AUTH PLAIN " + base64("\0" + options.authUser() + "\0" + options.authPassword()), t.command());
        } else if (ext.auth().contains("LOGIN")) {
            r = client.command("AUTH LOGIN", t.command());
            if (r.code() == 334) {
                r = client.command(base64(options.authUser()), t.command());
            }
            if (r.code() == 334) {
                r = client.command(base64(options.authPassword()), t.command());
            }
        } else {
            throw new HopFailure(DeliveryResult.deferred("4.7.0", hop + " offers no AUTH mechanism this server can use"
                    + " (PLAIN or LOGIN); it offers " + (ext.auth().isEmpty() ? "none" : String.join(" ", ext.auth()))));
        }
        if (r.code() != 235) {
            throw refused(hop, r);
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A server that refused to go on: the attempt is deferred with its reply, even a 5xx one. */
    private static HopFailure refused(NextHop hop, ServerReply reply) {
        return new HopFailure(new DeliveryResult(DeliveryResult.Kind.DEFERRED, reply.oneLine(), hop.mta()));
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return Text.printable(m == null || m.isBlank() ? e.getClass().getSimpleName() : m, 300);
    }

    NextHop hop() {
        return client.hop();
    }

    Extensions extensions() {
        return extensions;
    }

    SmtpClient.TlsState tls() {
        return client.tls();
    }

    /** Whether the session can carry another transaction (resetting the last one first if needed). */
    boolean ready() {
        if (!usable) {
            return false;
        }
        if (needsReset) {
            try {
                usable = client.command("RSET", timeouts.command()).positive();
            } catch (IOException e) {
                usable = false;
            }
            needsReset = false;
        }
        return usable;
    }

    /**
     * Runs one mail transaction for {@code envelope}; the results are in the order of its recipients. Checks
     * what the server announced first (SIZE, 8BITMIME, SMTPUTF8), so that a message it cannot take fails
     * before anything is sent.
     */
    List<DeliveryResult> deliver(Envelope envelope, Body body) {
        NextHop hop = client.hop();
        DeliveryResult refusal = precheck(envelope, hop);
        if (refusal != null) {
            return envelope.recipients().stream().map(r -> refusal).toList();
        }
        Map<Envelope.Recipient, DeliveryResult> results = new LinkedHashMap<>();
        String stage = "MAIL FROM";
        try {
            if (extensions.pipelining()) {
                pipelined(envelope, body, results);
            } else {
                lockstep(envelope, body, results);
            }
        } catch (IOException e) {
            usable = false;
            stage = results.isEmpty() ? stage : "the transaction";
            DeliveryResult lost = DeliveryResult.deferred("4.4.2", "lost connection with " + hop + " during "
                    + stage + ": " + reason(e));
            for (Envelope.Recipient r : envelope.recipients()) {
                results.putIfAbsent(r, lost);
            }
        }
        List<DeliveryResult> out = new ArrayList<>(envelope.recipients().size());
        for (Envelope.Recipient r : envelope.recipients()) {
            out.add(results.get(r));
        }
        return out;
    }

    private DeliveryResult precheck(Envelope e, NextHop hop) {
        if (extensions.size().isPresent() && e.size() > extensions.size().getAsLong()) {
            return DeliveryResult.failed("5.3.4", "message size " + e.size() + " exceeds the limit of "
                    + extensions.size().getAsLong() + " octets that " + hop.mta() + " announces");
        }
        if (e.eightBit() && !extensions.eightBitMime()) {
            return DeliveryResult.failed("5.6.3", "the message has 8-bit content but " + hop.mta()
                    + " does not support 8BITMIME, and this server does not convert messages");
        }
        if (e.utf8() && !extensions.smtputf8()) {
            return DeliveryResult.failed("5.6.7", "the message needs SMTPUTF8 (UTF-8 addresses or headers) but "
                    + hop.mta() + " does not support it");
        }
        return null;
    }

    private void pipelined(Envelope e, Body body, Map<Envelope.Recipient, DeliveryResult> results) throws IOException {
        client.send(mailFrom(e));
        for (Envelope.Recipient r : e.recipients()) {
            client.send(rcptTo(r));
        }
        client.send("DATA");
        client.flush(timeouts.mail());
        needsReset = true;
        ServerReply mail = client.read(timeouts.mail());
        List<Envelope.Recipient> accepted = new ArrayList<>();
        for (Envelope.Recipient r : e.recipients()) {
            ServerReply reply = client.read(timeouts.rcpt());
            if (!mail.positive()) {
                results.put(r, DeliveryResult.of(mail, client.hop()));
            } else if (reply.positive()) {
                accepted.add(r);
            } else {
                results.put(r, DeliveryResult.of(reply, client.hop()));
            }
            noteClosing(reply);
        }
        ServerReply data = client.read(timeouts.dataInit());
        if (accepted.isEmpty()) {
            if (data.code() == 354) {
                // RFC 2920 §3.1: the server took DATA with no recipient; end the empty message and drop it.
                client.sendBody(InputStream.nullInputStream(), timeouts.dataBlock());
                client.read(timeouts.dataEnd());
            }
            noteClosing(mail);
            return;
        }
        data(data, accepted, body, results);
    }

    private void lockstep(Envelope e, Body body, Map<Envelope.Recipient, DeliveryResult> results) throws IOException {
        needsReset = true;
        ServerReply mail = client.command(mailFrom(e), timeouts.mail());
        if (!mail.positive()) {
            noteClosing(mail);
            for (Envelope.Recipient r : e.recipients()) {
                results.put(r, DeliveryResult.of(mail, client.hop()));
            }
            return;
        }
        List<Envelope.Recipient> accepted = new ArrayList<>();
        for (Envelope.Recipient r : e.recipients()) {
            ServerReply reply = client.command(rcptTo(r), timeouts.rcpt());
            if (reply.positive()) {
                accepted.add(r);
            } else {
                results.put(r, DeliveryResult.of(reply, client.hop()));
                if (noteClosing(reply)) {
                    return;
                }
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        data(client.command("DATA", timeouts.dataInit()), accepted, body, results);
    }

    /** After the reply to DATA: sends the body and applies the final reply to the accepted recipients. */
    private void data(ServerReply data, List<Envelope.Recipient> accepted, Body body,
                      Map<Envelope.Recipient, DeliveryResult> results) throws IOException {
        NextHop hop = client.hop();
        DeliveryResult outcome;
        if (data.code() == 354) {
            try (InputStream in = body.open()) {
                client.sendBody(in, timeouts.dataBlock());
            }
            ServerReply end = client.read(timeouts.dataEnd());
            outcome = end.intermediate()
                    ? DeliveryResult.deferred("4.5.0", hop.mta() + " answered the end of data with " + end.oneLine())
                    : DeliveryResult.of(end, hop);
            needsReset = !end.positive();
            noteClosing(end);
        } else if (data.positive() || data.intermediate()) {
            usable = false;
            outcome = DeliveryResult.deferred("4.5.0", hop.mta() + " answered DATA with " + data.oneLine());
        } else {
            noteClosing(data);
            outcome = DeliveryResult.of(data, hop);
        }
        for (Envelope.Recipient r : accepted) {
            results.put(r, outcome);
        }
    }

    /** A 421 means the server is closing the connection (RFC 5321 §3.8). */
    private boolean noteClosing(ServerReply reply) {
        if (reply.code() == 421) {
            usable = false;
            return true;
        }
        return false;
    }

    private String mailFrom(Envelope e) {
        StringBuilder b = new StringBuilder("MAIL FROM:<").append(e.sender()).append('>');
        if (extensions.size().isPresent()) {
            b.append(" SIZE=").append(e.size());
        }
        if (e.eightBit()) {
            b.append(" BODY=8BITMIME");
        }
        if (e.utf8()) {
            b.append(" SMTPUTF8");
        }
        if (extensions.dsn()) {
            if (e.ret() != null && (e.ret().equals("FULL") || e.ret().equals("HDRS"))) {
                b.append(" RET=").append(e.ret());
            }
            String envid = xtext(e.envid());
            if (envid != null) {
                b.append(" ENVID=").append(envid);
            }
        }
        return b.toString();
    }

    private String rcptTo(Envelope.Recipient r) {
        StringBuilder b = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
        if (extensions.dsn()) {
            if (r.notifyOn() != null && r.notifyOn().matches("[A-Z,]{1,40}")) {
                b.append(" NOTIFY=").append(r.notifyOn());
            }
            if (r.orcpt() != null && r.orcpt().matches("[A-Za-z0-9-]{1,20};[!-~]{1,500}")) {
                b.append(" ORCPT=").append(r.orcpt());
            }
        }
        return b.toString();
    }

    private static String xtext(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Xtext.encode(value);
        } catch (IllegalArgumentException notPrintable) {
            return null;
        }
    }

    /** Cuts the connection at once (shutdown); a transaction in progress fails and is deferred. */
    void abort() {
        usable = false;
        client.close();
    }

    /** Ends the session politely when it is still in order, then closes the connection. */
    @Override
    public void close() {
        try {
            if (usable) {
                client.command("QUIT", QUIT_TIMEOUT);
            }
        } catch (IOException ignored) {
            // The server may hang up before answering QUIT; the mail is already delivered.
        } finally {
            client.close();
        }
    }
}
