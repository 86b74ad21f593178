package org.mailwarden.smtp.server;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.core.sasl.SaslCodec;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslStep;

/**
 * SMTP AUTH (RFC 4954) over the core SASL mechanisms: starts an exchange for a mechanism name, turns
 * base64 lines into mechanism input and mechanism output into 334 challenges, and maps the end of an
 * exchange to 235, 535 or 454. Throttling and lockout are core's {@link LoginGuard}, the policy IMAP and
 * POP3 use: failures count per client address and per login key, whichever form a name is typed in and
 * whether or not it exists; a locked address or login gets {@code 454 4.7.0} whatever the password, and
 * answers to a client or login with recent failures are held back by the throttle's growing delay.
 */
final class Authentication {

    private static final Reply INVALID = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    private static final Reply LOCKED = Reply.of(454, "4.7.0", "Too many failed authentications; try again later");

    /** An authenticated account: the id and the canonical address it logs in as. */
    record Identity(long accountId, String address) {
    }

    /** Where an exchange stands after a client message. */
    sealed interface Outcome {
        /** Send {@code 334 base64} and wait for the client's next line. */
        record Challenge(String base64) implements Outcome {
        }

        record Success(Identity identity, String mechanism) implements Outcome {
        }

        /** The exchange is over without success; {@code reason} is for the log only. */
        record Failure(Reply reply, String mechanism, String reason) implements Outcome {
        }
    }

    /** A running exchange: the next client line goes to {@link #respond}. */
    interface Exchange {
        Outcome respond(String line);
    }

    /** The first outcome of an AUTH command and the exchange that continues it. */
    record Start(Outcome outcome, Exchange exchange) {
    }

    private final LoginGuard guard;

    Authentication(LoginGuard guard) {
        this.guard = guard;
    }

    /** The mechanism names for the EHLO AUTH line (AUTH is offered only over TLS, so all of them). */
    List<String> mechanisms() {
        return guard.mechanismNames(true);
    }

    /** Begins an exchange; {@code initialResponse} is the optional second argument of AUTH (null when absent). */
    Start start(String mechanism, InetAddress client, String initialResponse) {
        Optional<LoginGuard.Outcome.Refused> locked = guard.admit(client);
        if (locked.isPresent()) {
            return new Start(new Outcome.Failure(LOCKED, mechanism, "client " + locked.get().reason()), null);
        }
        Optional<SaslMechanism> m = guard.mechanism(mechanism);
        if (m.isEmpty()) {
            return new Start(new Outcome.Failure(Reply.of(504, "5.5.4", "Unrecognized authentication mechanism"),
                    mechanism, "unknown mechanism"), null);
        }
        byte[] initial;
        try {
            initial = initialResponse == null ? null : SaslCodec.decodeInitialResponse(initialResponse);
        } catch (IllegalArgumentException e) {
            return new Start(malformed(client, m.get().name()), null);
        }
        SmtpExchange exchange = new SmtpExchange(m.get(), client);
        return new Start(exchange.handle(m.get().start(initial)), exchange);
    }

    private Outcome.Failure malformed(InetAddress client, String mechanism) {
        guard.saslAborted(client, "malformed base64");
        return new Outcome.Failure(Reply.of(501, "5.5.2", "Cannot decode the response (base64 expected)"), mechanism,
                "malformed base64");
    }

    /** One exchange: the mechanism's state plus SMTP's framing of it. */
    private final class SmtpExchange implements Exchange {
        private final SaslMechanism mechanism;
        private final InetAddress client;
        /** A success whose additional data (SCRAM server-final) went out as a last challenge. */
        private Identity pending;

        SmtpExchange(SaslMechanism mechanism, InetAddress client) {
            this.mechanism = mechanism;
            this.client = client;
        }

        @Override
        public Outcome respond(String line) {
            if (SaslCodec.isCancel(line)) {
                return new Outcome.Failure(Reply.of(501, "5.0.0", "Authentication cancelled"), mechanism.name(),
                        "cancelled by client");
            }
            if (pending != null) {
                // RFC 4954 §4: the client acknowledges the final data with an empty line
                return new Outcome.Success(pending, mechanism.name());
            }
            byte[] response;
            try {
                response = SaslCodec.decodeResponse(line);
            } catch (IllegalArgumentException e) {
                return malformed(client, mechanism.name());
            }
            return handle(mechanism.step(response));
        }

        /**
         * A mechanism's answer in SMTP terms. The guard decides before SCRAM's server-final message goes out,
         * since that message would prove the password right even while the login is locked out.
         */
        Outcome handle(SaslStep step) {
            if (step instanceof SaslStep.Challenge c) {
                return new Outcome.Challenge(SaslCodec.encode(c.data()));
            }
            return switch (guard.saslFinished(client, step)) {
                case LoginGuard.Outcome.Success ok -> {
                    Identity identity = new Identity(ok.identity().accountId(), ok.identity().address());
                    if (step instanceof SaslStep.Success s && s.additionalData() != null) {
                        pending = identity;
                        yield new Outcome.Challenge(SaslCodec.encode(s.additionalData()));
                    }
                    yield new Outcome.Success(identity, mechanism.name());
                }
                case LoginGuard.Outcome.Refused r -> new Outcome.Failure(r.locked() ? LOCKED : INVALID, mechanism.name(),
                        r.reason() + " login=" + (r.login() == null ? "-" : r.login()));
            };
        }
    }
}
