package org.mailwarden.core.sasl;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.mailwarden.core.account.AuthResult;
import org.mailwarden.core.account.Authenticator;

/**
 * LOGIN (draft-murchison-sasl-login): the server asks {@code Username:} then {@code Password:}, the client
 * answers each. An initial response, when given, is the user name. Obsolete but still what many clients
 * (Outlook among them) use.
 */
final class LoginMechanism implements SaslMechanism {

    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD_BYTES = 1024;

    private enum State { USERNAME, PASSWORD, DONE }

    private final Authenticator authenticator;
    private State state = State.USERNAME;
    private String username;

    LoginMechanism(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        return initialResponse == null ? new SaslStep.Challenge(USERNAME) : step(initialResponse);
    }

    @Override
    public SaslStep step(byte[] response) {
        switch (state) {
            case USERNAME -> {
                username = field(response);
                if (username == null || username.isEmpty()) {
                    state = State.DONE;
                    return new SaslStep.Failure(new AuthResult.Failure(AuthResult.Failure.Reason.MALFORMED_RESPONSE, null));
                }
                state = State.PASSWORD;
                return new SaslStep.Challenge(PASSWORD);
            }
            case PASSWORD -> {
                state = State.DONE;
                String password = field(response);
                if (password == null) {
                    return new SaslStep.Failure(new AuthResult.Failure(AuthResult.Failure.Reason.MALFORMED_RESPONSE, username));
                }
                AuthResult result = authenticator.authenticate(username, password);
                return result instanceof AuthResult.Success ok ? new SaslStep.Success(ok, null) : new SaslStep.Failure((AuthResult.Failure) result);
            }
            default -> throw new IllegalStateException("LOGIN exchange already finished");
        }
    }

    private static String field(byte[] b) {
        if (b.length > MAX_FIELD_BYTES) {
            return null;
        }
        try {
            return SaslCodec.utf8(b);
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
