package org.mailwarden.core.account;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailwarden.core.address.DomainName;

/**
 * The name under which failed logins are counted and SCRAM's stand-in salts are derived: the canonical
 * form a login name would have if the account existed, computed from the typed name and the domains'
 * naming rules only, never from the accounts. Because it does not look at accounts, an unknown name is
 * keyed exactly like a known one, and the lockout cannot tell them apart. {@code Alice@Example.TEST},
 * {@code EXAMPLE\alice} and {@code example.test\ALICE} all give {@code alice@example.test}; a bare
 * {@code alice} gives the same when the server has exactly one local domain, and {@code alice} (a budget
 * of its own) when it has several, because which domain a bare name means there depends on which
 * accounts exist. A name that fits no form is keyed by itself, lower-cased and bounded.
 */
public final class LoginKey {

    /** How much of a malformed name is kept in its key. */
    private static final int MAX_MALFORMED_CHARS = LoginName.MAX_CHARS;

    private LoginKey() {
    }

    /**
     * The key of {@code typed}.
     *
     * @param shortNames the full domain name of a short (NetBIOS-style) name, case-insensitively
     * @param onlyDomain the local domain when there is exactly one, else empty; asked only for bare names
     */
    public static String of(String typed, Function<String, Optional<String>> shortNames, Supplier<Optional<String>> onlyDomain) {
        LoginName name;
        try {
            name = LoginName.parse(typed);
        } catch (IllegalArgumentException e) {
            String s = typed == null ? "" : typed;
            return "?" + s.substring(0, Math.min(s.length(), MAX_MALFORMED_CHARS)).toLowerCase(Locale.ROOT);
        }
        return switch (name) {
            case LoginName.Address a -> a.localPart() + "@" + a.domain();
            case LoginName.Qualified q -> q.user() + "@" + domainFor(q.qualifier(), shortNames).orElse(q.qualifier());
            case LoginName.Bare b -> onlyDomain.get().map(d -> b.user() + "@" + d).orElse(b.user());
        };
    }

    /** A qualifier's domain: a short name first (EXAMPLE\\alice), else a full domain name (example.test\\alice). */
    static Optional<String> domainFor(String qualifier, Function<String, Optional<String>> shortNames) {
        Optional<String> byShort = shortNames.apply(qualifier);
        if (byShort.isPresent() || !DomainName.isValid(qualifier)) {
            return byShort;
        }
        return Optional.of(DomainName.normalize(qualifier));
    }
}
