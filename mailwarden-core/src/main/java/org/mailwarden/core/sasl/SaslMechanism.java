package org.mailwarden.core.sasl;

/**
 * One run of a server-side SASL mechanism, as a small state machine independent of SMTP, IMAP or POP3:
 * call {@link #start} once with the initial response (null when the client sent none), then
 * {@link #step} with each client response until a {@link SaslStep.Success} or {@link SaslStep.Failure}.
 * An instance serves one authentication exchange and is not thread-safe. Calling it after the exchange
 * ended is a programming error ({@link IllegalStateException}).
 */
public interface SaslMechanism {

    /** The IANA mechanism name, e.g. {@code SCRAM-SHA-256}. */
    String name();

    /** Begins the exchange; {@code initialResponse} is null when absent (an empty one is an empty array). */
    SaslStep start(byte[] initialResponse);

    /** Continues the exchange with the client's decoded response. */
    SaslStep step(byte[] response);
}
