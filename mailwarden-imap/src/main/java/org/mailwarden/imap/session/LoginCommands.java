package org.mailwarden.imap.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.account.LoginGuard.Outcome;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.sasl.SaslCodec;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslStep;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS, LOGIN and AUTHENTICATE (with SASL-IR): the not-authenticated state. Passwords in clear
 * (LOGIN, PLAIN, LOGIN mechanism) are refused with PRIVACYREQUIRED before TLS unless the administrator
 * allows plaintext; SCRAM-SHA-256 is always usable. Failures look the same whatever the reason, are
 * throttled per address and account, and close the connection after {@code imap.max_auth_failures}.
 */
final class LoginCommands {

    private static final Logger LOG = LoggerFactory.getLogger(LoginCommands.class);

    private LoginCommands() {
    }

    static final Command STARTTLS = new Command() {
        @Override
        public Set<ImapSession.State> states() {
            return States.NOT_AUTHENTICATED;
        }

        @Override
        public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
                throws IOException, CommandFailed {
            args.end();
            if (!s.tlsAvailable()) {
                throw CommandFailed.bad(null, s.connection().isTls() ? "TLS is already active" : "STARTTLS is not offered");
            }
            SSLContext context = s.context().tls().get();
            s.out().tagged(tag, Status.OK, null, "Begin TLS negotiation now");
            s.connection().startTls(context);
            LOG.info("imap STARTTLS done: {}", s.connection().tls().map(t -> t.description()).orElse("?"));
        }
    };

    static final Command LOGIN = new Command() {
        @Override
        public Set<ImapSession.State> states() {
            return States.NOT_AUTHENTICATED;
        }

        @Override
        public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
                throws IOException, CommandFailed {
            args.sp();
            String user = args.astring();
            args.sp();
            String password = args.astring();
            args.end();
            if (!s.plaintextAllowed()) {
                LOG.info("imap LOGIN refused before TLS for login={}", user);
                throw CommandFailed.no("PRIVACYREQUIRED", "Plaintext login is disabled; use STARTTLS first");
            }
            finish(s, tag, s.context().authentication().password(s.connection().clientAddress().getAddress(), user, password));
        }
    };

    static final Command AUTHENTICATE = new Command() {
        @Override
        public Set<ImapSession.State> states() {
            return States.NOT_AUTHENTICATED;
        }

        @Override
        public void run(ImapSession s, String tag, String name, boolean uid, CommandReader args)
                throws IOException, CommandFailed {
            args.sp();
            String mechanismName = args.atom();
            String initial = null;
            if (args.take(' ')) {
                initial = args.atom();
            }
            args.end();
            if (LoginGuard.sendsPassword(mechanismName) && !s.plaintextAllowed()) {
                throw CommandFailed.no("PRIVACYREQUIRED", "This mechanism needs TLS; use STARTTLS first");
            }
            LoginGuard auth = s.context().authentication();
            SaslMechanism mechanism = auth.mechanism(mechanismName)
                    .orElseThrow(() -> CommandFailed.no("CANNOT", "Unsupported authentication mechanism"));
            var client = s.connection().clientAddress().getAddress();
            var locked = auth.admit(client, null);
            if (locked.isPresent()) {
                finish(s, tag, locked.get());
                return;
            }
            SaslStep step;
            try {
                step = mechanism.start(initial == null ? null : SaslCodec.decodeInitialResponse(initial));
                while (step instanceof SaslStep.Challenge challenge) {
                    byte[] response = exchange(s, SaslCodec.encode(challenge.data()));
                    if (response == null) {
                        finish(s, tag, auth.saslAborted(client, "cancelled by the client"), "Authentication cancelled");
                        return;
                    }
                    step = mechanism.step(response);
                }
                if (step instanceof SaslStep.Success success && success.additionalData() != null) {
                    // IMAP has no success data: send it as one more challenge and expect an empty answer
                    byte[] response = exchange(s, SaslCodec.encode(success.additionalData()));
                    if (response == null || response.length != 0) {
                        finish(s, tag, auth.saslAborted(client, "bad answer to the server-final message"),
                                response == null ? "Authentication cancelled" : null);
                        return;
                    }
                }
            } catch (IllegalArgumentException e) {
                finish(s, tag, auth.saslAborted(client, "malformed response: " + e.getMessage()));
                return;
            }
            finish(s, tag, auth.saslFinished(client, step));
        }
    };

    /** Sends a challenge and reads the client's base64 line; null when the client cancels with "*". */
    private static byte[] exchange(ImapSession s, String challenge) throws IOException {
        s.out().continuation(challenge);
        s.out().flush();
        Line line = s.connection().reader().readLine();
        if (line.isEof()) {
            throw new java.io.EOFException("the client left during AUTHENTICATE");
        }
        if (line.ending() == Line.Ending.TOO_LONG) {
            s.connection().reader().skipRestOfLine();
            throw new IllegalArgumentException("response too long");
        }
        String text = new String(line.bytes(), StandardCharsets.US_ASCII).strip();
        if (SaslCodec.isCancel(text)) {
            return null;
        }
        return SaslCodec.decodeResponse(text);
    }

    private static void finish(ImapSession s, String tag, Outcome outcome) throws IOException {
        finish(s, tag, outcome, null);
    }

    private static void finish(ImapSession s, String tag, Outcome outcome, String cancelled) throws IOException {
        switch (outcome) {
            case Outcome.Success ok -> {
                s.loggedIn(ok.identity());
                s.out().tagged(tag, Status.OK, "CAPABILITY " + Capabilities.of(s), "Logged in");
            }
            case Outcome.Refused refused -> {
                LOG.info("imap login failed login={} reason={}", refused.login(), refused.reason());
                if (cancelled != null) {
                    s.out().tagged(tag, Status.BAD, null, cancelled);
                } else if (refused.locked()) {
                    s.out().tagged(tag, Status.NO, "UNAVAILABLE", "Too many failed logins; try again later");
                } else {
                    s.out().tagged(tag, Status.NO, "AUTHENTICATIONFAILED", "Authentication failed");
                }
                if (s.loginFailed()) {
                    s.bye("Too many failed logins");
                }
            }
        }
    }
}
