package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The throttle key: the same for every form and letter case of a name, computed from the domains only. */
class LoginKeyTest {

    private static final Function<String, Optional<String>> SHORT_NAMES =
            s -> Optional.ofNullable(Map.of("example", "example.test", "other", "other.test").get(s.toLowerCase(Locale.ROOT)));
    private static final Supplier<Optional<String>> ONE_DOMAIN = () -> Optional.of("example.test");
    private static final Supplier<Optional<String>> SEVERAL_DOMAINS = Optional::empty;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "alice@example.test        | alice@example.test",
        "Alice@EXAMPLE.Test        | alice@example.test",
        "EXAMPLE\\alice            | alice@example.test",
        "example\\ALICE            | alice@example.test",
        "example.test\\alice       | alice@example.test",
        "Example.TEST\\aLiCe       | alice@example.test",
        "alice                     | alice@example.test",
        "ALICE                     | alice@example.test",
        "OTHER\\bob                | bob@other.test",
        "bob@other.test            | bob@other.test",
        "NOSUCH\\bob               | bob@nosuch",
        "nosuch.test\\Bob          | bob@nosuch.test",
        "bob@nosuch.test           | bob@nosuch.test",
        "'a b'                     | ?a b",
        "alice@                    | ?alice@",
        "\\alice                   | ?\\alice",
    })
    void keysOfTypedNamesWithOneLocalDomain(String typed, String key) {
        assertThat(LoginKey.of(typed, SHORT_NAMES, ONE_DOMAIN)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "alice         | alice",
        "ALICE         | alice",
        "EXAMPLE\\alice | alice@example.test",
        "alice@Example.test | alice@example.test",
    })
    void aBareNameHasABudgetOfItsOwnWhenThereAreSeveralDomains(String typed, String key) {
        assertThat(LoginKey.of(typed, SHORT_NAMES, SEVERAL_DOMAINS)).isEqualTo(key);
    }

    @Provide
    Arbitrary<String> users() {
        return Arbitraries.strings().withChars("abcxyzABCXYZ019._-+=!#'").ofMinLength(1).ofMaxLength(20);
    }

    /** Every spelling of one name, known or not, shares one key: whichever the guesser types, one budget. */
    @Property(tries = 500)
    void everyFormAndLetterCaseOfANameHasOneKey(@ForAll("users") String user, @ForAll long caseSeed,
                                                @ForAll @IntRange(min = 0, max = 4) int form) {
        String expected = user.toLowerCase(Locale.ROOT) + "@example.test";
        String typed = switch (form) {
            case 0 -> user + "@example.test";
            case 1 -> "EXAMPLE\\" + user;
            case 2 -> "example.test\\" + user;
            case 3 -> user;
            default -> user + "@EXAMPLE.test";
        };
        assertThat(LoginKey.of(mixCase(typed, caseSeed), SHORT_NAMES, ONE_DOMAIN)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.strings().withChars("aB1@\\.-_ \t\0\u00e9\u200b\u212a").ofMaxLength(400);
    }

    /** Any input gives a key, bounded, never an exception: hostile names reach this before any check. */
    @Property(tries = 2000)
    void anyInputHasABoundedKey(@ForAll("anything") String typed) {
        String key = LoginKey.of(typed, SHORT_NAMES, SEVERAL_DOMAINS);
        assertThat(key).isNotNull();
        assertThat(key.length()).isLessThanOrEqualTo(LoginName.MAX_CHARS + 1);
        assertThat(LoginKey.of(typed.toLowerCase(Locale.ROOT), SHORT_NAMES, SEVERAL_DOMAINS)).as("lower-cased").isEqualTo(key);
    }

    private static String mixCase(String s, long seed) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append((seed >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }
}
