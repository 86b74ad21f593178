package org.mailwarden.admin;

/**
 * Turns a clear password into what the store keeps: the Argon2id hash that login checks verify and the
 * SCRAM-SHA-256 keys that SCRAM authentication needs. The clear password goes no further than this.
 */
@FunctionalInterface
public interface PasswordSecrets {

    record Stored(String passwordHash, String scramSha256) {
    }

    Stored derive(char[] password);
}
