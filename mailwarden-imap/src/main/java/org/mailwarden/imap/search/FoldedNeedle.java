package org.mailwarden.imap.search;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A SEARCH string prepared once per search: its {@link CaseFold folded} form as UTF-8 octets with a
 * Horspool shift table, so matching is a skip search over octets that folds A–Z on the fly and never
 * builds a string. The text searched is either raw ASCII-compatible octets (enough when the needle is
 * ASCII: an ASCII octet is that character and no other octet can match) or text already folded to UTF-8
 * by a {@link FoldingSource}.
 */
final class FoldedNeedle {

    private final String folded;
    private final byte[] octets;
    private final int[] shift = new int[256];
    private final boolean ascii;

    private FoldedNeedle(String folded) {
        this.folded = folded;
        this.octets = folded.getBytes(StandardCharsets.UTF_8);
        this.ascii = octets.length == folded.length();
        Arrays.fill(shift, Math.max(1, octets.length));
        for (int k = 0; k < octets.length - 1; k++) {
            shift[octets[k] & 0xff] = octets.length - 1 - k;
        }
    }

    static FoldedNeedle of(String needle) {
        return new FoldedNeedle(CaseFold.fold(needle));
    }

    /** Its length in folded UTF-8 octets. */
    int length() {
        return octets.length;
    }

    /** Whether it contains a CR or LF (which no unfolded header field does). */
    boolean hasLineBreak() {
        return folded.indexOf('\r') >= 0 || folded.indexOf('\n') >= 0;
    }

    /** Whether it is ASCII only, so that it can be matched on the raw octets of ASCII-compatible text. */
    boolean isAscii() {
        return ascii;
    }

    /** Whether octets {@code [from, to)} of {@code text} contain it (A–Z in the text count as a–z). */
    boolean in(byte[] text, int from, int to) {
        int m = octets.length;
        if (m == 0) {
            return true;
        }
        byte[] fold = CaseFold.ASCII;
        int last = m - 1;
        byte end = octets[last];
        for (int i = from; i <= to - m; ) {
            int b = fold[text[i + last] & 0xff];
            if (b == end) {
                int j = last - 1;
                while (j >= 0 && fold[text[i + j] & 0xff] == octets[j]) {
                    j--;
                }
                if (j < 0) {
                    return true;
                }
            }
            i += shift[b & 0xff];
        }
        return false;
    }

    /** Whether a decoded string (a header field) contains it. */
    boolean in(String text) {
        if (!ascii) {
            return CaseFold.fold(text).contains(folded);
        }
        int m = octets.length;
        if (m == 0) {
            return true;
        }
        int last = m - 1;
        for (int i = 0; i <= text.length() - m; ) {
            int c = asciiFolded(text.charAt(i + last));
            if (c == octets[last]) {
                int j = last - 1;
                while (j >= 0 && asciiFolded(text.charAt(i + j)) == octets[j]) {
                    j--;
                }
                if (j < 0) {
                    return true;
                }
            }
            i += c < 0 ? m : shift[c];
        }
        return false;
    }

    /** An ASCII character folded, or -1 for any other (which an ASCII needle cannot contain). */
    private static int asciiFolded(char c) {
        return c < 0x80 ? CaseFold.ASCII[c] : -1;
    }
}
