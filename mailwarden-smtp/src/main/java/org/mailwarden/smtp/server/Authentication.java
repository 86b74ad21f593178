package org.mailwarden.smtp.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwarden.core.account.AccountDirectory;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.sasl.SaslCodec;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslMechanisms;
import org.mailwarden.core.sasl.SaslStep;

/**
 * SMTP AUTH (RFC 4954) over the core SASL mechanisms: starts an exchange for a mechanism name, turns
 * base64 lines into mechanism input and mechanism output into 334 challenges, and maps the end of an
 * exchange to 235, 535 or 454. Failures are throttled per client address and per login name through the
 * core {@link AuthThrottle}: a locked address or name gets {@code 454 4.7.0} whatever the password, and
 * every answer to a client with recent failures is held back by the throttle's growing delay. A failure
 * counts against the account a login names, whichever form it was typed in ({@code alice@example.test},
 * {@code EXAMPLE\alice}, {@code alice}), so a guesser cannot dodge the lockout by switching forms.
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

    private final Authenticator authenticator;
    private final SaslMechanisms mechanisms;
    private final AuthThrottle throttle;

    Authentication(Authenticator authenticator, AuthThrottle throttle) {
        this.authenticator = authenticator;
        this.mechanisms = new SaslMechanisms(authenticator);
        this.throttle = throttle;
    }

    /** The mechanism names for the EHLO AUTH line. */
    List<String> mechanisms() {
        return mechanisms.names();
    }

    /** Begins an exchange; {@code initialResponse} is the optional second argument of AUTH (null when absent). */
    Start start(String mechanism, InetAddress client, String initialResponse) {
        AuthThrottle.Verdict verdict = throttle.check(client, null);
        if (verdict.locked()) {
            return new Start(new Outcome.Failure(LOCKED, mechanism, "client locked until " + verdict.lockedUntil()), null);
        }
        Optional<SaslMechanism> m = mechanisms.create(mechanism);
        if (m.isEmpty()) {
            return new Start(new Outcome.Failure(Reply.of(504, "5.5.4", "Unrecognized authentication mechanism"),
                    mechanism, "unknown mechanism"), null);
        }
        byte[] initial;
        try {
            initial = initialResponse == null ? null : SaslCodec.decodeInitialResponse(initialResponse);
        } catch (IllegalArgumentException e) {
            return new Start(malformed(m.get().name()), null);
        }
        SmtpExchange exchange = new SmtpExchange(m.get(), client, verdict.delay());
        return new Start(exchange.handle(m.get().start(initial)), exchange);
    }

    /** The throttle key of a login: the account's address when the name resolves, else the name as typed. */
    private String key(String login) {
        if (login == null) {
            return null;
        }
        return authenticator.resolve(login).map(AccountDirectory.Credentials::address)
                .orElse(login.toLowerCase(Locale.ROOT));
    }

    private static Outcome.Failure malformed(String mechanism) {
        return new Outcome.Failure(Reply.of(501, "5.5.2", "Cannot decode the response (base64 expected)"), mechanism,
                "malformed base64");
    }

    /** One exchange: the mechanism's state plus SMTP's framing of it. */
    private final class SmtpExchange implements Exchange {
        private final SaslMechanism mechanism;
        private final InetAddress client;
        private final Duration delay;
        /** A success whose additional data (SCRAM server-final) went out as a last challenge. */
        private SaslStep.Success pending;

        SmtpExchange(SaslMechanism mechanism, InetAddress client, Duration delay) {
            this.mechanism = mechanism;
            this.client = client;
            this.delay = delay;
        }

        @Override
        public Outcome respond(String line) {
            if (SaslCodec.isCancel(line)) {
                return new Outcome.Failure(Reply.of(501, "5.0.0", "Authentication cancelled"), mechanism.name(),
                        "cancelled by client");
            }
            if (pending != null) {
                return succeed(pending); // RFC 4954 §4: the client acknowledges the final data with an empty line
            }
            byte[] response;
            try {
                response = SaslCodec.decodeResponse(line);
            } catch (IllegalArgumentException e) {
                return malformed(mechanism.name());
            }
            return handle(mechanism.step(response));
        }

        Outcome handle(SaslStep step) {
            return switch (step) {
                case SaslStep.Challenge c -> new Outcome.Challenge(SaslCodec.encode(c.data()));
                case SaslStep.Success s when s.additionalData() != null -> {
                    pending = s;
                    yield new Outcome.Challenge(SaslCodec.encode(s.additionalData()));
                }
                case SaslStep.Success s -> succeed(s);
                case SaslStep.Failure f -> {
                    String login = key(f.failure().login());
                    // during a lockout every guess gets the lockout answer, so a right one is not told apart
                    boolean locked = login != null && throttle.check(client, login).locked();
                    throttle.failure(client, login);
                    pause();
                    yield new Outcome.Failure(locked ? LOCKED : INVALID, mechanism.name(), f.failure().reason()
                            + " login=" + (f.failure().login() == null ? "-" : f.failure().login()) + (locked ? " locked" : ""));
                }
            };
        }

        private Outcome succeed(SaslStep.Success s) {
            String address = s.account().address();
            AuthThrottle.Verdict verdict = throttle.check(client, address);
            pause();
            if (verdict.locked()) {
                return new Outcome.Failure(LOCKED, mechanism.name(), "account " + address + " locked until "
                        + verdict.lockedUntil());
            }
            throttle.success(client, address);
            return new Outcome.Success(new Identity(s.account().accountId(), address), mechanism.name());
        }

        /** The throttle's delay, before the answer that ends the exchange. */
        private void pause() {
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
