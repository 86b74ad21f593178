package org.mailwarden.smtp.server;

import java.net.InetAddress;
import java.util.List;

/**
 * SMTP AUTH (RFC 4954) over the core SASL mechanisms: starts an exchange for a mechanism name, turns
 * base64 lines into mechanism input and mechanism output into 334 challenges, and maps the end of an
 * exchange to 235, 535 or 454. Failures are throttled per client address and per account.
 */
final class Authentication {

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

    /** The first outcome of an AUTH command and the exchange that continues it (null once it ended). */
    record Start(Outcome outcome, Exchange exchange) {
    }

    private final org.mailwarden.core.account.AccountDirectory accounts;

    Authentication(org.mailwarden.core.account.AccountDirectory accounts) {
        this.accounts = accounts;
    }

    List<String> mechanisms() {
        return List.of("PLAIN", "LOGIN", "SCRAM-SHA-256");
    }

    Start start(String mechanism, InetAddress client, String initialResponse) {
        throw new UnsupportedOperationException("pending the core sasl package");
    }
}
