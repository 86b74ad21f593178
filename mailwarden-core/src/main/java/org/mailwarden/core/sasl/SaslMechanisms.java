package org.mailwarden.core.sasl;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailwarden.core.account.Authenticator;

/**
 * The server's SASL mechanisms: lists their names for capability announcements and creates a fresh
 * state machine per exchange. Offered, strongest first: SCRAM-SHA-256, PLAIN, LOGIN. Whether PLAIN and LOGIN
 * may be used without TLS is the protocol session's decision (mailwarden offers AUTH only over TLS).
 * Thread-safe; one instance serves the whole server.
 */
public final class SaslMechanisms {

    /** Every mechanism name, in the order to advertise them. */
    public static final List<String> NAMES = List.of("SCRAM-SHA-256", "PLAIN", "LOGIN");

    private final Authenticator authenticator;
    private final Supplier<String> serverNonces;

    public SaslMechanisms(Authenticator authenticator) {
        this(authenticator, randomNonces());
    }

    /** With a chosen source of SCRAM server nonces; for reproducing published test vectors. */
    SaslMechanisms(Authenticator authenticator, Supplier<String> serverNonces) {
        this.authenticator = authenticator;
        this.serverNonces = serverNonces;
    }

    /** The mechanism names to advertise. */
    public List<String> names() {
        return NAMES;
    }

    /** A new exchange of mechanism {@code name} (case-insensitive), or empty when it is not offered. */
    public Optional<SaslMechanism> create(String name) {
        return Optional.ofNullable(switch (name == null ? "" : name.toUpperCase(Locale.ROOT)) {
            case "SCRAM-SHA-256" -> new ScramSha256Mechanism(authenticator, serverNonces);
            case "PLAIN" -> new PlainMechanism(authenticator);
            case "LOGIN" -> new LoginMechanism(authenticator);
            default -> null;
        });
    }

    private static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] b = new byte[18];
            random.nextBytes(b);
            return Base64.getEncoder().encodeToString(b);
        };
    }
}
