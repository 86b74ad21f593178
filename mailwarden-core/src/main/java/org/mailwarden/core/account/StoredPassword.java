package org.mailwarden.core.account;

/**
 * What the store keeps for a password: the Argon2id PHC string (for PLAIN, LOGIN, POP3 USER/PASS, IMAP
 * LOGIN) and the serialised SCRAM-SHA-256 secrets, both derived here from the password, which is then
 * forgotten. The two fields match {@link AccountDirectory.Credentials#passwordHash()} and
 * {@link AccountDirectory.Credentials#scramSha256()}.
 */
public record StoredPassword(String passwordHash, String scramSha256) {

    /**
     * Validates {@code password} with {@link Passwords#validate} and derives both secrets.
     *
     * @throws IllegalArgumentException when the password is unusable, saying why
     */
    public static StoredPassword derive(PasswordHasher hasher, String password) {
        Passwords.validate(password);
        return new StoredPassword(hasher.hash(password), ScramCredentials.derive(password).serialize());
    }
}
