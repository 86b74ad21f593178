package org.mailwarden.bench.servers;

import java.util.Optional;

/**
 * One side of the comparison: mailwarden, or the reference pair Postfix + Dovecot. A target knows where
 * each service listens, whether it is available, how many messages really landed in a user's inbox, and
 * which process tree serves a protocol (for memory).
 */
public interface Target {

    /** "mailwarden", or the name and version of the server behind {@code service} ("Postfix 3.7.11"). */
    String name(Service service);

    Endpoint endpoint(Service service);

    /** Where {@code service} listens with implicit TLS (POP3S, IMAPS); the certificate is self-signed on both sides. */
    Endpoint implicitTls(Service service);

    /** Empty when the service is ready, else a one-line reason. */
    Optional<String> unavailable(Service service);

    /** The full address of benchmark user {@code user} ("bench1" → "bench1@example.test"). */
    String address(String user);

    String password();

    /**
     * The number of messages in the user's INBOX, counted where the mail lands (mailbox store or
     * Maildir), or -1 when it cannot be counted.
     */
    int inboxCount(String user);

    /** The root of the process tree that serves {@code service}, for memory measurements. */
    long pid(Service service);

    /**
     * Brings the server to a steady state before its memory is read. A garbage-collected server is asked
     * to collect, so that a reading shows what the sessions hold rather than garbage not yet collected;
     * servers that free memory as they go need nothing.
     */
    default void settle() throws java.io.IOException, InterruptedException {
    }
}
