package org.mailwarden.imap.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.mailwarden.core.account.Passwords;
import org.mailwarden.core.account.ScramCredentials;

/** The client side of SCRAM-SHA-256 (RFC 5802/7677) without channel binding, for AUTHENTICATE tests. */
final class ScramClient {

    private final String user;
    private final String password;
    private final String nonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    ScramClient(String user, String password) {
        this.user = user;
        this.password = password;
        byte[] n = new byte[18];
        new SecureRandom().nextBytes(n);
        this.nonce = Base64.getEncoder().encodeToString(n);
    }

    String clientFirst() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        return "n,," + clientFirstBare;
    }

    String clientFinal(String serverFirst) {
        Map<String, String> attrs = new HashMap<>();
        for (String part : serverFirst.split(",")) {
            attrs.put(part.substring(0, 1), part.substring(2));
        }
        byte[] salted = ScramCredentials.hi(Passwords.prepare(password), Base64.getDecoder().decode(attrs.get("s")),
                Integer.parseInt(attrs.get("i")));
        byte[] clientKey = ScramCredentials.hmac(salted, bytes("Client Key"));
        String withoutProof = "c=biws,r=" + attrs.get("r");
        byte[] authMessage = bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] signature = ScramCredentials.hmac(ScramCredentials.sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        serverSignature = ScramCredentials.hmac(ScramCredentials.hmac(salted, bytes("Server Key")), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    boolean serverFinalValid(String serverFinal) {
        return serverFinal.equals("v=" + Base64.getEncoder().encodeToString(serverSignature));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(bytes(s));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
