package org.mailwarden.core.account;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailwarden.core.net.FairShare;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslMechanisms;
import org.mailwarden.core.sasl.SaslStep;

/**
 * The one login policy of SMTP AUTH, IMAP and POP3: checks the credentials of one attempt — a name and
 * password (IMAP LOGIN, POP3 USER/PASS) or the end of a SASL exchange — through the {@link Authenticator},
 * and throttles failures per client address and per {@link LoginKey} with the server's one
 * {@link AuthThrottle}. The key depends only on the name as typed and the domains, never on whether the
 * account exists, so the three login forms ({@code alice@example.test}, {@code EXAMPLE\alice},
 * {@code alice}) and their letter cases share one budget, and an unknown name is throttled and locked
 * exactly like a known one. While a login or address is locked out every attempt is refused the same way,
 * right password or wrong, and counts against the address. Every other refusal looks the same to the
 * client; the reason is for the log. Thread-safe.
 */
public final class LoginGuard {

    /** The account a session logged in as. */
    public record Identity(long accountId, String address) {
    }

    /** The end of one login attempt. */
    public sealed interface Outcome {
        record Success(Identity identity) implements Outcome {
        }

        /** Refused; {@code locked} when a lockout of the address or login refused it, whatever the password; {@code reason} is for the log. */
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

    /**
     * The start of a SASL exchange, before the name is known: refuses while the client's address is locked
     * out. The delay earlier failures earned is applied when the exchange ends ({@link #saslFinished}).
     */
    public Optional<Outcome.Refused> admit(InetAddress client) {
        AuthThrottle.Verdict verdict = throttle.check(client, null);
        return verdict.locked() ? Optional.of(locked(client, verdict, null)) : Optional.empty();
    }

    /** LOGIN and USER/PASS: refuses during a lockout, else waits the earned delay, checks and records. */
    public Outcome password(InetAddress client, String login, String password) {
        String key = authenticator.loginKey(login);
        AuthThrottle.Verdict verdict = throttle.check(client, key);
        if (verdict.locked()) {
            return locked(client, verdict, login);
        }
        pause(verdict.delay());
        return record(client, authenticator.authenticate(login, password), key, login);
    }

    /**
     * The end of a SASL exchange: the same policy as {@link #password}, applied after the mechanism ran,
     * since only then is the name known.
     */
    public Outcome saslFinished(InetAddress client, SaslStep step) {
        AuthResult result = switch (step) {
            case SaslStep.Success s -> s.account();
            case SaslStep.Failure f -> f.failure();
            case SaslStep.Challenge c -> throw new IllegalArgumentException("the exchange has not finished");
        };
        String login = switch (result) {
            case AuthResult.Success s -> s.login();
            case AuthResult.Failure f -> f.login();
        };
        String key = login == null ? null : authenticator.loginKey(login);
        AuthThrottle.Verdict verdict = throttle.check(client, key);
        if (verdict.locked()) {
            return locked(client, verdict, login);
        }
        pause(verdict.delay());
        return record(client, result, key, login);
    }

    /** Records an exchange the client garbled: a failure of the address. */
    public Outcome saslAborted(InetAddress client, String reason) {
        throttle.failure(client, null);
        return new Outcome.Refused(false, reason, null);
    }

    /** A refusal during a lockout, whatever the password: it counts against the address, not the login, so the lockout ends on time. */
    private Outcome.Refused locked(InetAddress client, AuthThrottle.Verdict verdict, String login) {
        throttle.failure(client, null);
        return new Outcome.Refused(true, "locked out until " + verdict.lockedUntil(), login);
    }

    private Outcome record(InetAddress client, AuthResult result, String key, String login) {
        return switch (result) {
            case AuthResult.Success ok -> {
                throttle.success(client, key);
                yield new Outcome.Success(new Identity(ok.accountId(), ok.address()));
            }
            case AuthResult.Failure failed -> {
                throttle.failure(client, key);
                yield new Outcome.Refused(false, failed.reason().name().toLowerCase(Locale.ROOT), login);
            }
        };
    }

    private static void pause(Duration delay) {
        if (delay.isPositive()) {
            try {
                FairShare.beforeWaiting();
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
