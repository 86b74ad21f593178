package org.mailwarden.core.account;

import java.util.List;
import java.util.Optional;

/**
 * Checks a login name and password against the {@link AccountDirectory}. Every path through
 * {@link #authenticate} costs one Argon2id verification: unknown names and malformed logins are verified
 * against the hasher's dummy hash, disabled accounts against their real one, so response time does not
 * tell an attacker which accounts exist. Thread-safe when the directory is.
 */
public final class Authenticator {

    private final AccountDirectory directory;
    private final PasswordHasher hasher;

    public Authenticator(AccountDirectory directory, PasswordHasher hasher) {
        this.directory = directory;
        this.hasher = hasher;
    }

    /** Checks {@code password} for the account that {@code login} names. */
    public AuthResult authenticate(String login, String password) {
        Resolution r = resolveWithReason(login);
        if (password == null || password.length() > Passwords.MAX_CHARS) {
            hasher.verifyDummy("");
            return new AuthResult.Failure(AuthResult.Failure.Reason.BAD_PASSWORD, login);
        }
        if (r.credentials() == null) {
            hasher.verifyDummy(password);
            return new AuthResult.Failure(r.failure(), login);
        }
        AccountDirectory.Credentials c = r.credentials();
        boolean matches = hasher.verify(password, c.passwordHash());
        if (!c.enabled()) {
            return new AuthResult.Failure(AuthResult.Failure.Reason.DISABLED, login);
        }
        return matches ? new AuthResult.Success(c.accountId(), c.address(), login)
                : new AuthResult.Failure(AuthResult.Failure.Reason.BAD_PASSWORD, login);
    }

    /**
     * The account {@code login} names, without checking a password (SCRAM needs its stored keys first).
     * Empty when the name is malformed, unknown or ambiguous; disabled accounts are returned and the
     * caller must check {@link AccountDirectory.Credentials#enabled()}.
     */
    public Optional<AccountDirectory.Credentials> resolve(String login) {
        return Optional.ofNullable(resolveWithReason(login).credentials());
    }

    /** Either the credentials or the reason there are none. */
    public record Resolution(AccountDirectory.Credentials credentials, AuthResult.Failure.Reason failure) {
    }

    /** Like {@link #resolve}, with the reason for the log when there is no account. */
    public Resolution resolveWithReason(String login) {
        LoginName name;
        try {
            name = LoginName.parse(login);
        } catch (IllegalArgumentException e) {
            return new Resolution(null, AuthResult.Failure.Reason.MALFORMED_LOGIN);
        }
        return switch (name) {
            case LoginName.Address a -> found(directory.byAddress(a.localPart(), a.domain()));
            case LoginName.Qualified q -> found(LoginKey.domainFor(q.qualifier(), directory::domainForShortName)
                    .flatMap(d -> directory.byAddress(q.user(), d)));
            case LoginName.Bare b -> {
                List<AccountDirectory.Credentials> all = directory.byLocalPart(b.user());
                yield all.size() > 1 ? new Resolution(null, AuthResult.Failure.Reason.AMBIGUOUS_LOGIN) : found(all.stream().findFirst());
            }
        };
    }

    /** The {@link LoginKey} of {@code login}: the same for every form of a name, whether or not it exists. */
    public String loginKey(String login) {
        return LoginKey.of(login, directory::domainForShortName, directory::onlyDomain);
    }

    /** The store's {@link AccountDirectory#standInSecret()}. */
    public byte[] standInSecret() {
        return directory.standInSecret();
    }

    private static Resolution found(Optional<AccountDirectory.Credentials> c) {
        return c.map(x -> new Resolution(x, null)).orElseGet(() -> new Resolution(null, AuthResult.Failure.Reason.UNKNOWN_USER));
    }
}
