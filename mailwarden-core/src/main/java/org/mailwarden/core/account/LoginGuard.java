package org.mailwarden.core.account;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslMechanisms;
import org.mailwarden.core.sasl.SaslStep;

/**
 * Checks the credentials of one login attempt — a name and password (IMAP LOGIN, POP3 USER/PASS) or the
 * end of a SASL exchange — through the {@link Authenticator}, and throttles failures per client address
 * and per account with the server's one {@link AuthThrottle}, the same way for every protocol. The throttle key is the account's address whenever the login names one, so the
 * three login forms ({@code alice@example.test}, {@code EXAMPLE\alice}, {@code alice}) share one budget.
 * Every refusal looks the same to the client; the reason is for the log. Thread-safe.
 */
public final class LoginGuard {

    /** The account a session logged in as. */
    public record Identity(long accountId, String address) {
    }

    /** The end of one login attempt. */
    public sealed interface Outcome {
        record Success(Identity identity) implements Outcome {
        }

        /** Refused; {@code locked} when the throttle refused without checking; {@code reason} is for the log. */
        record Refused(boolean locked, String reason, String login) implements Outcome {
        }
    }

    private final Authenticator authenticator;
    private final SaslMechanisms mechanisms;
    private final AuthThrottle throttle;

    public LoginGuard(Authenticator authenticator, AuthThrottle throttle) {
        this.authenticator = authenticator;
        this.mechanisms = new SaslMechanisms(authenticator);
        this.throttle = throttle;
    }

    /** The mechanisms to announce: those that carry the password in clear only when they may be used. */
    public List<String> mechanismNames(boolean plaintextAllowed) {
        return mechanisms.names().stream().filter(m -> plaintextAllowed || !sendsPassword(m)).toList();
    }

    /** Whether a mechanism puts the password on the wire (PLAIN, LOGIN), so that it needs TLS. */
    public static boolean sendsPassword(String mechanism) {
        String m = mechanism.toUpperCase(Locale.ROOT);
        return m.equals("PLAIN") || m.equals("LOGIN");
    }

    public Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.create(name);
    }

    /** Refuses while the address or login is locked out; otherwise waits the delay earlier failures earned. */
    public Optional<Outcome.Refused> admit(InetAddress client, String login) {
        AuthThrottle.Verdict verdict = throttle.check(client, login == null ? null : key(login));
        if (verdict.locked()) {
            return Optional.of(new Outcome.Refused(true, "locked out until " + verdict.lockedUntil(), login));
        }
        pause(verdict.delay());
        return Optional.empty();
    }

    /** LOGIN: admits, checks the password and records the result. */
    public Outcome password(InetAddress client, String login, String password) {
        Optional<Outcome.Refused> refused = admit(client, login);
        if (refused.isPresent()) {
            return refused.get();
        }
        return record(client, authenticator.authenticate(login, password), login);
    }

    /**
     * Records the end of a SASL exchange; while a login is locked out, right and wrong passwords get the
     * same lockout answer, so guessing can neither win nor learn anything during a lockout.
     */
    public Outcome saslFinished(InetAddress client, SaslStep step) {
        return switch (step) {
            case SaslStep.Success s -> {
                if (throttle.check(client, key(s.account().address())).locked()) {
                    yield new Outcome.Refused(true, "locked out", s.account().address());
                }
                yield record(client, s.account(), s.account().address());
            }
            case SaslStep.Failure f -> {
                String login = f.failure().login();
                // during a lockout a wrong password gets the same answer as a right one: no oracle
                if (login != null && throttle.check(client, key(login)).locked()) {
                    throttle.failure(client, key(login));
                    yield new Outcome.Refused(true, "locked out", login);
                }
                yield record(client, f.failure(), login);
            }
            case SaslStep.Challenge c -> throw new IllegalArgumentException("the exchange has not finished");
        };
    }

    /** Records an exchange the client cancelled or garbled. */
    public Outcome saslAborted(InetAddress client, String reason) {
        throttle.failure(client, null);
        return new Outcome.Refused(false, reason, null);
    }

    private Outcome record(InetAddress client, AuthResult result, String login) {
        return switch (result) {
            case AuthResult.Success ok -> {
                throttle.success(client, key(ok.address()));
                yield new Outcome.Success(new Identity(ok.accountId(), ok.address()));
            }
            case AuthResult.Failure failed -> {
                throttle.failure(client, login == null ? null : key(login));
                yield new Outcome.Refused(false, failed.reason().name().toLowerCase(Locale.ROOT), login);
            }
        };
    }

    private String key(String login) {
        return authenticator.resolve(login).map(AccountDirectory.Credentials::address)
                .orElse(login.toLowerCase(Locale.ROOT));
    }

    private static void pause(Duration delay) {
        if (delay.isPositive()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
