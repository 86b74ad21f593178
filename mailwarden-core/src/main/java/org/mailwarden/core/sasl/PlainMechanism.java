package org.mailwarden.core.sasl;

import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import org.mailwarden.core.account.AuthResult;
import org.mailwarden.core.account.Authenticator;

/**
 * PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL password}. The authorisation identity must
 * be empty or name the authenticating account itself (by the login given or by its address); acting as
 * another user is not supported. Without an initial response the server sends an empty challenge first.
 */
final class PlainMechanism implements SaslMechanism {

    private static final int MAX_FIELD_BYTES = 255;

    private final Authenticator authenticator;
    private boolean done;

    PlainMechanism(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        return initialResponse == null ? new SaslStep.Challenge(new byte[0]) : step(initialResponse);
    }

    @Override
    public SaslStep step(byte[] response) {
        if (done) {
            throw new IllegalStateException("PLAIN exchange already finished");
        }
        done = true;
        String[] fields = split(response);
        if (fields == null) {
            return new SaslStep.Failure(new AuthResult.Failure(AuthResult.Failure.Reason.MALFORMED_RESPONSE, null));
        }
        String authzid = fields[0];
        String authcid = fields[1];
        AuthResult result = authenticator.authenticate(authcid, fields[2]);
        if (!(result instanceof AuthResult.Success ok)) {
            return new SaslStep.Failure((AuthResult.Failure) result);
        }
        if (!authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid) && !authzid.equalsIgnoreCase(ok.address())) {
            return new SaslStep.Failure(new AuthResult.Failure(AuthResult.Failure.Reason.AUTHORIZATION_DENIED, authcid));
        }
        return new SaslStep.Success(ok, null);
    }

    /** The three fields, or null when the message is malformed. */
    private static String[] split(byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return null;
        }
        try {
            String authzid = SaslCodec.utf8(Arrays.copyOfRange(message, 0, first));
            String authcid = SaslCodec.utf8(Arrays.copyOfRange(message, first + 1, second));
            String password = SaslCodec.utf8(Arrays.copyOfRange(message, second + 1, message.length));
            if (first > MAX_FIELD_BYTES || second - first - 1 > MAX_FIELD_BYTES || message.length - second - 1 > MAX_FIELD_BYTES
                    || authcid.isEmpty() || password.isEmpty()) {
                return null;
            }
            return new String[] {authzid, authcid, password};
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
