package org.mailwarden.core.sasl;

import org.mailwarden.core.account.AuthResult;

/**
 * What a server mechanism answers to one client message: another challenge, success, or failure.
 * A {@link Success} may carry additional data (SCRAM's server-final message); protocols that can't send
 * data with their success reply (SMTP, IMAP4rev1) send it as one more challenge, expect an empty
 * response, then report success.
 */
public sealed interface SaslStep {

    /** Send {@code data} to the client (base64 in the protocol) and wait for its response. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /** Authenticated as {@code account}; {@code additionalData} is null when the mechanism has none. */
    record Success(AuthResult.Success account, byte[] additionalData) implements SaslStep {
    }

    /** Not authenticated; the reason is for the log, the client gets the protocol's generic failure reply. */
    record Failure(AuthResult.Failure failure) implements SaslStep {
    }
}
