package org.mailwarden.pop3;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.core.sasl.SaslCodec;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslStep;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.StoreException;

/**
 * The AUTHORIZATION state (RFC 1939 §4): CAPA, STLS (RFC 2595), USER and PASS, AUTH (RFC 5034) and
 * QUIT. USER/PASS and the mechanisms that send the password in clear (PLAIN, LOGIN) are refused with
 * {@code -ERR [AUTH]} on a connection without TLS unless the administrator allows it for the listener
 * ({@code pop3.allow_plaintext}); SCRAM-SHA-256 never exposes the password and is always offered. A
 * successful login locks the maildrop, takes its snapshot and moves to {@link TransactionState}; a locked
 * maildrop gets {@code -ERR [IN-USE]} and the session stays here. After too many failed logins the
 * connection closes.
 */
final class AuthorizationState implements SessionState {

    private static final String NEEDS_TLS = "USER/PASS needs TLS: send STLS first (or use POP3S)";
    /** The log reason of a SASL exchange the client cancelled with "*". */
    private static final String CANCELLED = "cancelled by the client";

    private final Pop3Session session;
    private final Pop3Output out;
    private String user;
    private int failures;

    AuthorizationState(Pop3Session session) {
        this.session = session;
        this.out = session.out();
    }

    @Override
    public SessionState handle(Command command) throws IOException {
        String pendingUser = user;
        user = null;
        return switch (command.verb()) {
            case CAPA -> capa();
            case STLS -> stls();
            case USER -> user(command.arg(0));
            case PASS -> pass(pendingUser, command.arg(0));
            case AUTH -> command.hasArgs() ? auth(command) : listMechanisms();
            case QUIT -> {
                out.ok(session.context().hostname() + " POP3 server signing off");
                yield null;
            }
            default -> {
                out.err(command.verb() + " is not valid before login (AUTHORIZATION state)");
                yield this;
            }
        };
    }

    @Override
    public void abandon() {
        // nothing is held before login
    }

    private SessionState capa() throws IOException {
        boolean plaintext = session.plaintextAllowed();
        out.ok("capability list follows");
        out.line("TOP");
        out.line("UIDL");
        out.line("RESP-CODES");
        out.line("AUTH-RESP-CODE");
        out.line("PIPELINING");
        if (session.transport().canStartTls()) {
            out.line("STLS");
        }
        if (plaintext) {
            out.line("USER");
        }
        out.line("SASL " + String.join(" ", session.context().authentication().mechanismNames(plaintext)));
        out.line("IMPLEMENTATION mailwarden");
        out.end();
        return this;
    }

    private SessionState stls() throws IOException {
        Pop3Transport transport = session.transport();
        if (transport.isTls()) {
            out.err("TLS is already active");
            return this;
        }
        if (!transport.canStartTls()) {
            out.err("STLS is not available on this server");
            return this;
        }
        out.ok("begin TLS negotiation");
        transport.startTls();
        Pop3Session.LOG.info("{} pop3 TLS started", session.who());
        return this;
    }

    private SessionState user(String name) throws IOException {
        if (!session.plaintextAllowed()) {
            out.err(ResponseCode.AUTH, NEEDS_TLS);
            return this;
        }
        user = name;
        out.ok("send PASS");
        return this;
    }

    private SessionState pass(String name, String password) throws IOException {
        if (!session.plaintextAllowed()) {
            out.err(ResponseCode.AUTH, NEEDS_TLS);
            return this;
        }
        if (name == null) {
            out.err("send USER first");
            return this;
        }
        LoginGuard.Outcome outcome;
        try {
            outcome = session.context().authentication().password(client(), name, password);
        } catch (StoreException e) {
            return storeFailure("check the password", e);
        }
        return finish(outcome, "USER/PASS");
    }

    private SessionState listMechanisms() throws IOException {
        out.ok("SASL mechanisms follow");
        for (String name : session.context().authentication().mechanismNames(session.plaintextAllowed())) {
            out.line(name);
        }
        out.end();
        return this;
    }

    private SessionState auth(Command command) throws IOException {
        LoginGuard authentication = session.context().authentication();
        String name = command.arg(0);
        Optional<SaslMechanism> created = authentication.mechanism(name);
        if (created.isEmpty()) {
            out.err("unsupported authentication mechanism; CAPA lists the SASL mechanisms");
            return this;
        }
        SaslMechanism mechanism = created.get();
        if (LoginGuard.sendsPassword(mechanism.name()) && !session.plaintextAllowed()) {
            out.err(ResponseCode.AUTH, mechanism.name() + " needs TLS: send STLS first (or use SCRAM-SHA-256)");
            return this;
        }
        try {
            Optional<LoginGuard.Outcome.Refused> locked = authentication.admit(client(), null);
            if (locked.isPresent()) {
                return finish(locked.get(), mechanism.name());
            }
            return finish(exchange(mechanism, command.args().size() > 1 ? command.arg(1) : null), mechanism.name());
        } catch (StoreException e) {
            return storeFailure("authenticate", e);
        }
    }

    /** Runs the challenge-response exchange to its end. */
    private LoginGuard.Outcome exchange(SaslMechanism mechanism, String initialResponse) throws IOException {
        LoginGuard authentication = session.context().authentication();
        SaslStep step;
        try {
            step = mechanism.start(initialResponse == null ? null : SaslCodec.decodeInitialResponse(initialResponse));
        } catch (IllegalArgumentException e) {
            return authentication.saslAborted(client(), "malformed initial response");
        }
        while (step instanceof SaslStep.Challenge challenge) {
            out.line("+ " + SaslCodec.encode(challenge.data()));
            String line = session.readSaslLine();
            if (line != null && SaslCodec.isCancel(line)) {
                return new LoginGuard.Outcome.Refused(false, CANCELLED, null);
            }
            byte[] response = decode(line);
            if (response == null) {
                return authentication.saslAborted(client(), "malformed response");
            }
            step = mechanism.step(response);
        }
        if (step instanceof SaslStep.Success success && success.additionalData() != null) {
            // RFC 5034 §4: POP3 has no success data; it goes out as a last challenge with an empty answer
            out.line("+ " + SaslCodec.encode(success.additionalData()));
            String line = session.readSaslLine();
            if (line == null || !line.isEmpty()) {
                return authentication.saslAborted(client(), "non-empty answer to the final server message");
            }
        }
        return authentication.saslFinished(client(), step);
    }

    private static byte[] decode(String line) {
        if (line == null) {
            return null;
        }
        try {
            return SaslCodec.decodeResponse(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private SessionState finish(LoginGuard.Outcome outcome, String how) throws IOException {
        return switch (outcome) {
            case LoginGuard.Outcome.Success success -> open(success.identity(), how);
            case LoginGuard.Outcome.Refused refused -> {
                failures++;
                Pop3Session.LOG.info("{} pop3 login failed: login={} auth={} reason={}", session.who(),
                        refused.login() == null ? "-" : printable(refused.login()), how, refused.reason());
                out.err(ResponseCode.AUTH, reply(refused));
                if (failures >= session.settings().maxAuthFailures()) {
                    throw new Pop3Session.Closing("too many failed logins");
                }
                yield this;
            }
        };
    }

    /** The text after {@code -ERR [AUTH]}: every failure reads the same, so none tells which accounts exist. */
    private static String reply(LoginGuard.Outcome.Refused refused) {
        if (refused.locked()) {
            return "too many failed logins; try again later";
        }
        return CANCELLED.equals(refused.reason()) ? "authentication cancelled" : "authentication failed";
    }

    /** Locks the maildrop and takes its snapshot: the move to TRANSACTION. */
    private SessionState open(LoginGuard.Identity identity, String how) throws IOException {
        Pop3Context context = session.context();
        Optional<MaildropLocks.Lease> lease;
        try {
            lease = context.locks().acquire(identity.accountId(), session.transport().id());
        } catch (StoreException e) {
            return storeFailure("lock the maildrop", e);
        }
        if (lease.isEmpty()) {
            Pop3Session.LOG.info("{} pop3 login refused: user={} maildrop in use by another session", session.who(),
                    identity.address());
            out.err(ResponseCode.IN_USE, "the maildrop is in use by another session; try again when it has ended");
            return this;
        }
        Maildrop drop;
        try {
            Mailboxes mailboxes = context.store().mailboxes();
            Optional<Mailboxes.Mailbox> inbox = mailboxes.find(identity.accountId(), "INBOX");
            if (inbox.isEmpty()) {
                lease.get().close();
                Pop3Session.LOG.warn("{} pop3 user={} has no INBOX", session.who(), identity.address());
                out.err(ResponseCode.SYS_PERM, "the account has no INBOX; ask the administrator");
                return this;
            }
            drop = new Maildrop(inbox.get(), mailboxes.messages(inbox.get().id()));
        } catch (StoreException e) {
            lease.get().close();
            return storeFailure("open the maildrop", e);
        }
        session.stats().loggedIn(identity.address(), how);
        Pop3Session.LOG.info("{} pop3 login: user={} auth={} tls={} messages={}", session.who(), identity.address(), how,
                session.transport().isTls(), drop.size());
        out.ok("maildrop has " + drop.count() + " messages (" + drop.octets() + " octets)");
        return new TransactionState(session, drop, lease.get());
    }

    private SessionState storeFailure(String action, StoreException e) throws IOException {
        Pop3Session.LOG.warn("{} pop3 cannot {}: {}", session.who(), action, e.toString());
        out.err(ResponseCode.SYS_TEMP, "the mail store is not available; try again later");
        return this;
    }

    private InetAddress client() {
        return session.transport().clientAddress().getAddress();
    }

    /** A client-supplied name made safe for one log line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        s.codePoints().limit(100).forEach(cp -> b.append(Character.isISOControl(cp) ? '?' : Character.toString(cp)));
        return b.toString();
    }
}
