package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.account.AuthResult.Failure.Reason;

class AuthenticatorTest {

    /** An in-memory directory: two domains, alice in both (so a bare "alice" is ambiguous), bob in one. */
    static final class MemoryDirectory implements AccountDirectory {
        final List<Credentials> accounts = new ArrayList<>();
        final Map<String, String> shortNames = Map.of("example", "example.test", "other", "other.test");

        Credentials add(long id, String address, String password, boolean enabled) {
            Credentials c = new Credentials(id, address, PasswordHasherTest.FAST.hash(password),
                    ScramCredentials.derive(password, new byte[16], 4096).serialize(), enabled);
            accounts.add(c);
            return c;
        }

        @Override
        public Optional<Credentials> byAddress(String localPart, String domain) {
            String key = localPart.toLowerCase(Locale.ROOT) + "@" + domain;
            return accounts.stream().filter(c -> c.address().equalsIgnoreCase(key)).findFirst();
        }

        @Override
        public Optional<String> domainForShortName(String shortName) {
            return Optional.ofNullable(shortNames.get(shortName.toLowerCase(Locale.ROOT)));
        }

        @Override
        public List<Credentials> byLocalPart(String localPart) {
            return accounts.stream().filter(c -> c.address().toLowerCase(Locale.ROOT).startsWith(localPart.toLowerCase(Locale.ROOT) + "@")).toList();
        }

        @Override
        public Optional<String> onlyDomain() {
            return Optional.empty();
        }

        @Override
        public byte[] standInSecret() {
            return new byte[32];
        }
    }

    static MemoryDirectory directory() {
        MemoryDirectory d = new MemoryDirectory();
        d.add(1, "alice@example.test", "alice-pw", true);
        d.add(2, "alice@other.test", "other-pw", true);
        d.add(3, "bob@example.test", "bob-pw", true);
        d.add(4, "carol@example.test", "carol-pw", false);
        return d;
    }

    private final Authenticator auth = new Authenticator(directory(), PasswordHasherTest.FAST);

    @Test
    void everyLoginFormReachesTheSameAccount() {
        for (String login : List.of("bob@example.test", "BOB@Example.Test", "EXAMPLE\\bob", "example\\BOB", "example.test\\bob", "bob")) {
            assertThat(auth.authenticate(login, "bob-pw")).isEqualTo(new AuthResult.Success(3, "bob@example.test", login));
        }
        assertThat(auth.authenticate("OTHER\\alice", "other-pw")).isEqualTo(new AuthResult.Success(2, "alice@other.test", "OTHER\\alice"));
    }

    @Test
    void failuresCarryTheReasonForTheLogOnly() {
        assertThat(auth.authenticate("bob@example.test", "wrong")).isEqualTo(new AuthResult.Failure(Reason.BAD_PASSWORD, "bob@example.test"));
        assertThat(auth.authenticate("nobody@example.test", "x")).isEqualTo(new AuthResult.Failure(Reason.UNKNOWN_USER, "nobody@example.test"));
        assertThat(auth.authenticate("alice", "alice-pw")).isEqualTo(new AuthResult.Failure(Reason.AMBIGUOUS_LOGIN, "alice"));
        assertThat(auth.authenticate("NOSUCH\\bob", "bob-pw")).isEqualTo(new AuthResult.Failure(Reason.UNKNOWN_USER, "NOSUCH\\bob"));
        assertThat(auth.authenticate("bob@", "bob-pw")).isEqualTo(new AuthResult.Failure(Reason.MALFORMED_LOGIN, "bob@"));
        assertThat(auth.authenticate(null, "bob-pw")).isEqualTo(new AuthResult.Failure(Reason.MALFORMED_LOGIN, null));
        assertThat(auth.authenticate("bob", null)).isEqualTo(new AuthResult.Failure(Reason.BAD_PASSWORD, "bob"));
        assertThat(auth.authenticate("bob", "x".repeat(Passwords.MAX_CHARS + 1)).getClass()).isEqualTo(AuthResult.Failure.class);
    }

    @Test
    void disabledAccountsFailEvenWithTheRightPassword() {
        assertThat(auth.authenticate("carol@example.test", "carol-pw")).isEqualTo(new AuthResult.Failure(Reason.DISABLED, "carol@example.test"));
        assertThat(auth.resolve("carol@example.test")).get().extracting(AccountDirectory.Credentials::enabled).isEqualTo(false);
    }

    @Test
    void resolveFindsTheAccountWithoutAPassword() {
        assertThat(auth.resolve("EXAMPLE\\bob")).get().extracting(AccountDirectory.Credentials::accountId).isEqualTo(3L);
        assertThat(auth.resolve("alice")).isEmpty();
        assertThat(auth.resolveWithReason("alice").failure()).isEqualTo(Reason.AMBIGUOUS_LOGIN);
    }
}
