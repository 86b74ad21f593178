package org.mailwarden.pop3;

import java.util.Locale;
import java.util.Optional;

/**
 * The POP3 commands mailwarden knows, with how many space-separated arguments each takes (RFC 1939,
 * RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). PASS is special: its argument is the rest of the line,
 * spaces included, since a password may contain them (RFC 1939 §7). APOP is not offered: it needs the
 * clear password on the server, which mailwarden never stores.
 */
enum Verb {
    CAPA(0, 0),
    STLS(0, 0),
    USER(1, 1),
    PASS(1, 1),
    AUTH(0, 2),
    QUIT(0, 0),
    STAT(0, 0),
    LIST(0, 1),
    RETR(1, 1),
    DELE(1, 1),
    NOOP(0, 0),
    RSET(0, 0),
    TOP(2, 2),
    UIDL(0, 1);

    private final int minArgs;
    private final int maxArgs;

    Verb(int minArgs, int maxArgs) {
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    int minArgs() {
        return minArgs;
    }

    int maxArgs() {
        return maxArgs;
    }

    /** Whether the argument is the whole rest of the line rather than space-separated words. */
    boolean takesRestOfLine() {
        return this == PASS;
    }

    /** The verb for a keyword, case-insensitively; empty for anything else. */
    static Optional<Verb> of(String keyword) {
        if (keyword.length() < 3 || keyword.length() > 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(keyword.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
