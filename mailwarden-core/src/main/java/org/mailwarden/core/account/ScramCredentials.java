package org.mailwarden.core.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 secrets of one account (RFC 5802 / RFC 7677), derived when the password is set so
 * that the password itself is never stored: salt, iteration count, {@code StoredKey = H(HMAC(SaltedPassword,
 * "Client Key"))} and {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. Serialised in one string in
 * the format PostgreSQL uses, {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (base64).
 * Also home of the SCRAM-SHA-256 primitives ({@link #hmac}, {@link #sha256}, {@link #hi}) the server
 * mechanism needs.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** RFC 7677 §4: at least 4096. */
    public static final int MIN_ITERATIONS = 4096;
    /** The iteration count used for new passwords; clients repeat this work at every login. */
    public static final int DEFAULT_ITERATIONS = 10_000;
    private static final int MAX_ITERATIONS = 1_000_000;
    private static final String PREFIX = "SCRAM-SHA-256$";

    public ScramCredentials {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iteration count must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS);
        }
        if (salt.length < 8 || storedKey.length != 32 || serverKey.length != 32) {
            throw new IllegalArgumentException("SCRAM-SHA-256 needs a salt of at least 8 bytes and 32-byte keys");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives the secrets for {@code password} with a fresh 16-byte salt and {@link #DEFAULT_ITERATIONS}. */
    public static ScramCredentials derive(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return derive(password, salt, DEFAULT_ITERATIONS);
    }

    /** Derives the secrets for {@code password} with the given salt and iteration count. */
    public static ScramCredentials derive(String password, byte[] salt, int iterations) {
        byte[] salted = hi(Passwords.prepare(password), salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(salt, iterations, sha256(clientKey), serverKey);
    }

    /**
     * Reads the serialised form.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static ScramCredentials parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() > 400) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 secret");
        }
        String[] parts = text.substring(PREFIX.length()).split("[$:]", -1);
        if (parts.length != 4 || parts[0].isEmpty() || parts[0].length() > 7 || !parts[0].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new ScramCredentials(b64.decode(parts[1]), Integer.parseInt(parts[0]), b64.decode(parts[2]), b64.decode(parts[3]));
    }

    /** The serialised form, for the store. */
    public String serialize() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials c && c.iterations == iterations && Arrays.equals(c.salt, salt)
                && Arrays.equals(c.storedKey, storedKey) && Arrays.equals(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + "]";
    }

    /** HMAC-SHA-256. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** SHA-256. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** RFC 5802 {@code Hi()}: PBKDF2 with HMAC-SHA-256 and one 32-byte block. */
    public static byte[] hi(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is legal in HMAC but SecretKeySpec refuses it; HMAC pads keys with zeros anyway.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
