package org.mailwarden.imap.mailbox;

import java.util.Locale;

/**
 * A LIST/LSUB pattern: {@code *} matches any characters, {@code %} any characters except the hierarchy
 * delimiter. An INBOX prefix matches case-insensitively (RFC 9051 section 6.3.9). Matching works on
 * Unicode names and never backtracks exponentially (at most pattern-length times name-length steps).
 */
public final class ListPattern {

    public static final char DELIMITER = '/';

    private final String pattern;

    private ListPattern(String pattern) {
        this.pattern = pattern;
    }

    /** The pattern for {@code reference} and {@code mailbox} as LIST takes them. */
    public static ListPattern of(String reference, String mailbox) {
        String combined;
        if (reference.isEmpty() || mailbox.startsWith(String.valueOf(DELIMITER))) {
            combined = mailbox;
        } else if (reference.endsWith(String.valueOf(DELIMITER))) {
            combined = reference + mailbox;
        } else {
            combined = reference + DELIMITER + mailbox;
        }
        return new ListPattern(canonicalInbox(combined));
    }

    /** Upper-cases a leading INBOX, as mailbox names are stored. */
    static String canonicalInbox(String name) {
        int slash = name.indexOf(DELIMITER);
        String first = slash < 0 ? name : name.substring(0, slash);
        return first.toUpperCase(Locale.ROOT).equals("INBOX") ? "INBOX" + name.substring(first.length()) : name;
    }

    /** Whether {@code name} (canonical INBOX) matches. */
    public boolean matches(String name) {
        // dynamic programming over (pattern position, name position)
        int p = pattern.length();
        int n = name.length();
        boolean[] current = new boolean[n + 1];
        current[0] = true;
        for (int i = 0; i < p; i++) {
            char pc = pattern.charAt(i);
            boolean[] next = new boolean[n + 1];
            if (pc == '*' || pc == '%') {
                boolean reachable = false;
                for (int j = 0; j <= n; j++) {
                    if (pc == '%' && j > 0 && name.charAt(j - 1) == DELIMITER) {
                        reachable = false;
                    }
                    reachable |= current[j];
                    next[j] = reachable;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    if (current[j] && name.charAt(j) == pc) {
                        next[j + 1] = true;
                    }
                }
            }
            current = next;
        }
        return current[n];
    }
}
