package org.mailwarden.core.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.mailwarden.core.account.Passwords;
import org.mailwarden.core.account.ScramCredentials;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, for driving AUTH and
 * AUTHENTICATE in tests, since none of the stock clients speaks it: builds the client-first and
 * client-final messages and checks the server's signature.
 */
public final class ScramClient {

    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramClient(String user, String password) {
        this.user = user;
        this.password = password;
        byte[] n = new byte[18];
        new SecureRandom().nextBytes(n);
        this.clientNonce = Base64.getEncoder().encodeToString(n);
    }

    public String clientFirst() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return "n,," + clientFirstBare;
    }

    /** The client-final message answering {@code serverFirst}, whose nonce must extend ours. */
    public String clientFinal(String serverFirst) {
        Map<String, String> attrs = attributes(serverFirst);
        String nonce = attrs.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce)) {
            throw new IllegalStateException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(attrs.get("s"));
        int iterations = Integer.parseInt(attrs.get("i"));
        byte[] salted = ScramCredentials.hi(Passwords.prepare(password), salt, iterations);
        byte[] clientKey = ScramCredentials.hmac(salted, bytes("Client Key"));
        byte[] storedKey = ScramCredentials.sha256(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] signature = ScramCredentials.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        expectedServerSignature = ScramCredentials.hmac(ScramCredentials.hmac(salted, bytes("Server Key")), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the server-final message proves the server knew our password's keys. */
    public boolean serverFinalValid(String serverFinal) {
        return serverFinal.equals("v=" + Base64.getEncoder().encodeToString(expectedServerSignature));
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(bytes(s));
    }

    public static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> out = new HashMap<>();
        for (String part : message.split(",")) {
            out.put(part.substring(0, 1), part.substring(2));
        }
        return out;
    }
}
