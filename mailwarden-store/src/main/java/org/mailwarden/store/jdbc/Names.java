package org.mailwarden.store.jdbc;

import java.util.Collection;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.mailwarden.store.StoreException;

/**
 * Checks and canonical forms for the names the store keeps: domains, local parts, mailbox names, flags,
 * setting keys. Everything that reaches SQL has passed through here, so the store never holds a name
 * that a protocol could not express, and error messages say what is wrong with it.
 */
final class Names {

    static final String INBOX = "INBOX";
    static final char DELIMITER = '/';

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_MAILBOX = 512;
    private static final int MAX_FLAG = 128;
    private static final int MAX_FLAGS = 100;
    /** IMAP system flags are case-insensitive; they are stored in their usual spelling. */
    private static final Map<String, String> SYSTEM_FLAGS = Map.of(
            "\\seen", "\\Seen", "\\answered", "\\Answered", "\\flagged", "\\Flagged",
            "\\deleted", "\\Deleted", "\\draft", "\\Draft");

    private Names() {
    }

    /** A domain as stored: stripped and lower-case. */
    static String domain(String name) {
        String d = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.length() > MAX_DOMAIN || !printable(d) || d.contains("@")) {
            throw invalid("'" + name + "' is not a domain name");
        }
        return d;
    }

    /** A short domain name (EXAMPLE in EXAMPLE\\alice) or null for none. */
    static String shortName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String s = name.strip();
        if (s.length() > 64 || !printable(s) || s.contains("\\") || s.contains("@")) {
            throw invalid("'" + name + "' is not a valid short name (letters, digits and dashes, up to 64)");
        }
        return s;
    }

    static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String localPart(String localPart) {
        if (localPart == null || localPart.isEmpty() || localPart.length() > MAX_LOCAL_PART
                || !printable(localPart) || localPart.contains("@")) {
            throw invalid("'" + localPart + "' is not a valid local part (1 to 64 printable characters, no '@' or spaces)");
        }
        return localPart;
    }

    /**
     * A mailbox name in canonical form: INBOX (and an INBOX/ prefix) in upper case, the rest as given.
     * Empty levels, leading or trailing delimiters, controls and the IMAP wildcards are refused.
     */
    static String mailbox(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_MAILBOX) {
            throw invalid("a mailbox name must have 1 to " + MAX_MAILBOX + " characters");
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER || name.contains("//")) {
            throw invalid("mailbox name '" + name + "' has an empty level");
        }
        if (name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f || ch == '*' || ch == '%')) {
            throw invalid("mailbox name '" + name + "' contains a control character or a wildcard (* or %)");
        }
        int slash = name.indexOf(DELIMITER);
        String first = slash < 0 ? name : name.substring(0, slash);
        return first.equalsIgnoreCase(INBOX) ? INBOX + name.substring(first.length()) : name;
    }

    static boolean isInbox(String canonicalName) {
        return INBOX.equals(canonicalName);
    }

    /** Flags as stored: sorted, space-separated. */
    static String flags(Collection<String> flags) {
        if (flags == null) {
            return "";
        }
        if (flags.size() > MAX_FLAGS) {
            throw invalid("too many flags (at most " + MAX_FLAGS + ")");
        }
        Set<String> sorted = new TreeSet<>();
        for (String f : flags) {
            if (f == null || f.isEmpty() || f.length() > MAX_FLAG || !printable(f)
                    || f.chars().anyMatch(ch -> ch == '(' || ch == ')' || ch == '{' || ch == '"' || ch == '*')) {
                throw invalid("'" + f + "' is not a valid flag");
            }
            sorted.add(f.startsWith("\\") ? SYSTEM_FLAGS.getOrDefault(key(f), f) : f);
        }
        return String.join(" ", sorted);
    }

    static Set<String> parseFlags(String stored) {
        return stored.isEmpty() ? Set.of() : Set.of(stored.split(" "));
    }

    static String settingKey(String key) {
        if (key == null || key.isBlank() || key.length() > 200 || !printable(key)) {
            throw invalid("'" + key + "' is not a valid setting name");
        }
        return key;
    }

    /** No spaces, no controls. */
    private static boolean printable(String s) {
        return s.chars().allMatch(ch -> ch > 0x20 && ch != 0x7f);
    }

    static StoreException invalid(String message) {
        return new StoreException(StoreException.Kind.INVALID, message);
    }

    static StoreException notFound(String message) {
        return new StoreException(StoreException.Kind.NOT_FOUND, message);
    }

    static StoreException duplicate(String message) {
        return new StoreException(StoreException.Kind.DUPLICATE, message);
    }
}
