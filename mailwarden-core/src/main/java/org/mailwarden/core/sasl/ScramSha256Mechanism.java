package org.mailwarden.core.sasl;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailwarden.core.account.AccountDirectory;
import org.mailwarden.core.account.AuthResult;
import org.mailwarden.core.account.AuthResult.Failure.Reason;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.ScramCredentials;

/**
 * SCRAM-SHA-256 (RFC 7677, RFC 5802), server side, using the StoredKey and ServerKey derived when the
 * password was set; the password never crosses the wire and the server proves it knows the keys too.
 * Channel binding is not offered (only SCRAM-SHA-256 is advertised, never -PLUS): a client that insists on
 * it ({@code p=}) is refused, one that could but believes the server can't ({@code y}) is accepted.
 *
 * <p>An unknown name gets a well-formed server-first message with the default iteration count and a salt
 * derived from the name's {@link org.mailwarden.core.account.LoginKey} and the store's stand-in secret. So,
 * like a real salt, it is the same in every form and letter case of the name, on every protocol, cluster
 * node and after restarts, and probing names reveals nothing; the exchange fails only at the proof, as a
 * wrong password would.
 */
final class ScramSha256Mechanism implements SaslMechanism {

    private static final int MAX_MESSAGE_BYTES = 4096;

    private enum State { CLIENT_FIRST, CLIENT_FINAL, DONE }

    private final Authenticator authenticator;
    private final Supplier<String> serverNonces;

    private State state = State.CLIENT_FIRST;
    private String login;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredentials credentials;
    private AccountDirectory.Credentials account;
    private Reason lookupFailure;
    private String authzid;

    ScramSha256Mechanism(Authenticator authenticator, Supplier<String> serverNonces) {
        this.authenticator = authenticator;
        this.serverNonces = serverNonces;
    }

    @Override
    public String name() {
        return "SCRAM-SHA-256";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        return initialResponse == null ? new SaslStep.Challenge(new byte[0]) : step(initialResponse);
    }

    @Override
    public SaslStep step(byte[] response) {
        return switch (state) {
            case CLIENT_FIRST -> clientFirst(response);
            case CLIENT_FINAL -> clientFinal(response);
            case DONE -> throw new IllegalStateException("SCRAM exchange already finished");
        };
    }

    /** {@code gs2-header client-first-message-bare}: {@code n,,n=user,r=nonce}. */
    private SaslStep clientFirst(byte[] response) {
        String msg = text(response);
        if (msg == null) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        int c1 = msg.indexOf(',');
        int c2 = c1 < 0 ? -1 : msg.indexOf(',', c1 + 1);
        if (c2 < 0) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        String flag = msg.substring(0, c1);
        String authz = msg.substring(c1 + 1, c2);
        // "p=..." asks for channel binding, which this server does not offer.
        if (!flag.equals("n") && !flag.equals("y")) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        if (!authz.isEmpty()) {
            authzid = authz.startsWith("a=") ? saslName(authz.substring(2)) : null;
            if (authzid == null || authzid.isEmpty()) {
                return fail(Reason.MALFORMED_RESPONSE);
            }
        }
        gs2Header = msg.substring(0, c2 + 1);
        clientFirstBare = msg.substring(c2 + 1);
        String[] attrs = clientFirstBare.split(",", -1);
        // A leading "m=" is a mandatory extension we don't know: RFC 5802 says fail.
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || !extensionsWellFormed(attrs)) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        login = saslName(attrs[0].substring(2));
        String clientNonce = attrs[1].substring(2);
        if (login == null || login.isEmpty() || !isPrintableNonce(clientNonce)) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        lookup();
        nonce = clientNonce + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i=" + credentials.iterations();
        state = State.CLIENT_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code c=biws,r=nonce[,ext...],p=proof}. */
    private SaslStep clientFinal(byte[] response) {
        String msg = text(response);
        int proofAt = msg == null ? -1 : msg.lastIndexOf(",p=");
        if (proofAt < 0) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        String withoutProof = msg.substring(0, proofAt);
        String[] attrs = withoutProof.split(",", -1);
        byte[] proof = base64(msg.substring(proofAt + 3));
        byte[] binding = attrs.length >= 2 && attrs[0].startsWith("c=") ? base64(attrs[0].substring(2)) : null;
        if (proof == null || proof.length != 32 || binding == null || !attrs[1].equals("r=" + nonce) || !extensionsWellFormed(attrs)
                || !Arrays.equals(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            return fail(Reason.MALFORMED_RESPONSE);
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = credentials.storedKey();
        byte[] signature = ScramCredentials.hmac(storedKey, authMessage);
        byte[] clientKey = new byte[32];
        for (int i = 0; i < 32; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        boolean proven = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), storedKey);
        if (account == null) {
            return fail(lookupFailure);
        }
        if (!proven) {
            return fail(Reason.BAD_PASSWORD);
        }
        if (!account.enabled()) {
            return fail(Reason.DISABLED);
        }
        if (authzid != null && !authzid.equalsIgnoreCase(login) && !authzid.equalsIgnoreCase(account.address())) {
            return fail(Reason.AUTHORIZATION_DENIED);
        }
        state = State.DONE;
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
        byte[] serverFinal = ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
        return new SaslStep.Success(new AuthResult.Success(account.accountId(), account.address(), login), serverFinal);
    }

    /**
     * Finds the account's stored keys, or stands in plausible ones derived from the name's key. The stand-in
     * is computed either way, so that both paths do the same lookups and take the same time.
     */
    private void lookup() {
        byte[] seed = ScramCredentials.hmac(authenticator.standInSecret(), authenticator.loginKey(login).getBytes(StandardCharsets.UTF_8));
        Authenticator.Resolution r = authenticator.resolveWithReason(login);
        Optional<ScramCredentials> stored = Optional.ofNullable(r.credentials())
                .map(AccountDirectory.Credentials::scramSha256)
                .flatMap(ScramSha256Mechanism::parse);
        if (stored.isPresent()) {
            account = r.credentials();
            credentials = stored.get();
            return;
        }
        lookupFailure = r.credentials() == null ? r.failure() : Reason.BAD_PASSWORD;
        credentials = new ScramCredentials(Arrays.copyOf(seed, 16), ScramCredentials.DEFAULT_ITERATIONS, seed, seed);
    }

    private static Optional<ScramCredentials> parse(String serialized) {
        try {
            return serialized == null ? Optional.empty() : Optional.of(ScramCredentials.parse(serialized));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private SaslStep fail(Reason reason) {
        state = State.DONE;
        return new SaslStep.Failure(new AuthResult.Failure(reason, login));
    }

    /** RFC 5802 saslname: {@code =2C} is ',', {@code =3D} is '=', any other '=' is an error (null). */
    private static String saslName(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (s.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (s.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                return null;
            }
        }
        return out.toString();
    }

    /** Attributes after the first two are optional extensions, each {@code letter=value}; they are ignored. */
    private static boolean extensionsWellFormed(String[] attrs) {
        for (int i = 2; i < attrs.length; i++) {
            String a = attrs[i];
            if (a.length() < 2 || a.charAt(1) != '=' || !Character.isLetter(a.charAt(0)) || a.charAt(0) > 'z') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrintableNonce(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(byte[] b) {
        if (b.length > MAX_MESSAGE_BYTES) {
            return null;
        }
        try {
            return SaslCodec.utf8(b);
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
