package org.mailwarden.core.address;

/**
 * The xtext encoding of RFC 3461 §4 used by ENVID, ORCPT and AUTH: printable ASCII except {@code +} and
 * {@code =} stands for itself, anything else is {@code +} followed by two upper-case hex digits.
 * Decoding refuses anything that does not decode to printable ASCII, because these values end up in
 * notification messages and logs.
 */
public final class Xtext {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {
    }

    /**
     * Decodes {@code text}.
     *
     * @throws IllegalArgumentException when the text is not valid xtext or decodes to a character outside
     *                                  printable ASCII (space to tilde)
     */
    public static String decode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated +XX escape");
                }
                int hi = hex(text.charAt(i + 1));
                int lo = hex(text.charAt(i + 2));
                int v = hi * 16 + lo;
                if (v < 0x20 || v > 0x7e) {
                    throw new IllegalArgumentException("escape decodes to a non-printable character");
                }
                out.append((char) v);
                i += 2;
            } else if (c >= '!' && c <= '~' && c != '=') {
                out.append(c);
            } else {
                throw new IllegalArgumentException("character not allowed in xtext");
            }
        }
        return out.toString();
    }

    /**
     * Encodes printable ASCII {@code text}.
     *
     * @throws IllegalArgumentException for characters outside printable ASCII
     */
    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("xtext can only encode printable ASCII");
            }
            if (c == '+' || c == '=' || c == ' ') {
                out.append('+').append(HEX[c >> 4]).append(HEX[c & 15]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Decodes an RFC 6533 {@code utf-8-addr-xtext} (or, when {@code allowRawUtf8}, {@code utf-8-addr-unitext}):
     * printable ASCII except {@code +}, {@code =} and {@code \} stands for itself, {@code \x{HEX}} with 2 to 6
     * upper-case hex digits is one code point, and raw non-ASCII is allowed only with SMTPUTF8.
     *
     * @throws IllegalArgumentException when malformed or when a code point is a control or otherwise unusable
     */
    public static String decodeUtf8Address(String text, boolean allowRawUtf8) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '\\') {
                int close = text.indexOf('}', i);
                if (!text.startsWith("\\x{", i) || close < 0 || close - i - 3 < 2 || close - i - 3 > 6) {
                    throw new IllegalArgumentException("malformed \\x{HEX} escape");
                }
                int v = 0;
                for (int j = i + 3; j < close; j++) {
                    v = v * 16 + hex(text.charAt(j));
                }
                if (v > Character.MAX_CODE_POINT || v < 0x20 || v == 0x7f || DomainName.isProhibitedCodePoint(v)) {
                    throw new IllegalArgumentException("escape decodes to an unusable character");
                }
                out.appendCodePoint(v);
                i = close + 1;
            } else if (cp >= 0x80) {
                if (!allowRawUtf8 || DomainName.isProhibitedCodePoint(cp)) {
                    throw new IllegalArgumentException("raw non-ASCII character");
                }
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
            } else if (cp >= '!' && cp <= '~' && cp != '+' && cp != '=') {
                out.append((char) cp);
                i++;
            } else {
                throw new IllegalArgumentException("character not allowed");
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("xtext escape must be + and two upper-case hex digits");
    }
}
