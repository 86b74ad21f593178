package org.mailwarden.core.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.mailwarden.core.address.DomainName;

/**
 * A login name as a user types it, in one of three forms: {@code user@domain}; {@code DOMAIN\\user}, where
 * DOMAIN is a domain's short name or its full name, case-insensitively; or a bare {@code user}, which is
 * valid only when exactly one local domain has that user (the {@link Authenticator} checks). Local parts
 * are lower-cased, domains normalised with {@link DomainName}. Whitespace and control characters are
 * refused in every form.
 */
public sealed interface LoginName {

    /** RFC 5321 limits: 64 octets of local part, {@code @}, 255 of domain. */
    int MAX_CHARS = 320;

    /** {@code user@domain}. */
    record Address(String localPart, String domain) implements LoginName {
    }

    /** {@code DOMAIN\\user}: {@code qualifier} is a short name or a full domain, as typed (lower-cased). */
    record Qualified(String qualifier, String user) implements LoginName {
    }

    /** A bare {@code user}. */
    record Bare(String user) implements LoginName {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when it fits none of the forms
     */
    static LoginName parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("login name is empty or longer than " + MAX_CHARS + " characters");
        }
        if (text.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp)
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE)) {
            throw new IllegalArgumentException("login name contains a space or control character");
        }
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            String domain = DomainName.normalize(text.substring(at + 1));
            return new Address(user(text.substring(0, at)), domain);
        }
        int slash = text.indexOf('\\');
        if (slash >= 0) {
            String qualifier = text.substring(0, slash);
            if (qualifier.isEmpty()) {
                throw new IllegalArgumentException("login name has an empty domain before the backslash");
            }
            return new Qualified(qualifier.toLowerCase(Locale.ROOT), user(text.substring(slash + 1)));
        }
        return new Bare(user(text));
    }

    private static String user(String s) {
        if (s.isEmpty() || s.indexOf('@') >= 0 || s.indexOf('\\') >= 0 || s.getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new IllegalArgumentException("login name has an empty, too long or malformed user part");
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
