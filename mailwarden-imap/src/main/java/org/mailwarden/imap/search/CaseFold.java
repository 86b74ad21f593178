package org.mailwarden.imap.search;

/**
 * The case folding SEARCH matches with: one code point to one code point, the lower case of the upper
 * case (which also folds the title-case and final forms most scripts use, so "Σ", "σ" and "ς" are alike),
 * except that ASCII is closed: an ASCII letter folds only to ASCII and a non-ASCII character never folds
 * into ASCII (the Kelvin sign, dotless ı, dotted İ and long ſ stay themselves). That keeps RFC 9051's
 * "case-insensitive for characters within the ASCII range" exact and lets an ASCII needle be matched on
 * raw octets of any ASCII-compatible text without decoding it.
 */
final class CaseFold {

    /** Octet folding: A–Z to a–z, every other octet to itself. */
    static final byte[] ASCII = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ASCII[i] = (byte) (i >= 'A' && i <= 'Z' ? i + ('a' - 'A') : i);
        }
    }

    private CaseFold() {
    }

    static int fold(int codePoint) {
        if (codePoint < 0x80) {
            return ASCII[codePoint] & 0xff;
        }
        int folded = Character.toLowerCase(Character.toUpperCase(codePoint));
        return folded < 0x80 ? codePoint : folded;
    }

    static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(fold(cp)));
        return out.toString();
    }
}
