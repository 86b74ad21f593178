package org.mailwarden.core.account;

/**
 * The outcome of a password check. A failure's {@link Failure.Reason} is for the log only: every failure
 * must look the same to the client, so that nobody learns whether a name exists or an account is disabled.
 */
public sealed interface AuthResult {

    /**
     * The client proved it owns account {@code accountId}, whose address is {@code address}, logging in as
     * {@code login} (the name as typed, whose {@link LoginKey} its failures were counted under).
     */
    record Success(long accountId, String address, String login) implements AuthResult {
    }

    /** The client did not authenticate; {@code login} is the name it tried (null when none was given). */
    record Failure(Reason reason, String login) implements AuthResult {

        /** Why, for the log line. */
        public enum Reason { MALFORMED_LOGIN, UNKNOWN_USER, AMBIGUOUS_LOGIN, DISABLED, BAD_PASSWORD, MALFORMED_RESPONSE, AUTHORIZATION_DENIED }
    }
}
