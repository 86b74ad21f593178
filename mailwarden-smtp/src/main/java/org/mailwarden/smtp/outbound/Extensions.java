package org.mailwarden.smtp.outbound;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the next hop announced in its EHLO reply (or nothing, after HELO): the extensions delivery uses.
 * Parsed leniently — an unknown keyword is ignored, a SIZE without a usable number means "no limit
 * announced" — because a server that lies in EHLO is caught by its replies to the commands themselves.
 */
public record Extensions(boolean esmtp, boolean pipelining, OptionalLong size, boolean eightBitMime,
                         boolean smtputf8, boolean dsn, boolean startTls, Set<String> auth) {

    public Extensions {
        auth = Set.copyOf(auth);
    }

    /** A server that only answered HELO. */
    public static final Extensions NONE = new Extensions(false, false, OptionalLong.empty(), false, false, false,
            false, Set.of());

    /** Parses the lines of a 250 reply to EHLO; the first line is the server's greeting name. */
    public static Extensions parse(List<String> lines) {
        boolean pipelining = false;
        boolean eightBit = false;
        boolean utf8 = false;
        boolean dsn = false;
        boolean tls = false;
        OptionalLong size = OptionalLong.empty();
        Set<String> auth = new TreeSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.strip().toUpperCase(Locale.ROOT).split("[ =]+");
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "DSN" -> dsn = true;
                case "STARTTLS" -> tls = true;
                case "SIZE" -> size = size(words);
                case "AUTH" -> {
                    for (int i = 1; i < words.length && auth.size() < 20; i++) {
                        auth.add(words[i]);
                    }
                }
                default -> {
                    // Extensions delivery does not use.
                }
            }
        }
        return new Extensions(true, pipelining, size, eightBit, utf8, dsn, tls, auth);
    }

    private static OptionalLong size(String[] words) {
        if (words.length < 2 || !words[1].matches("\\d{1,18}") || Long.parseLong(words[1]) == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(words[1]));
    }
}
