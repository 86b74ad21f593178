package org.mailwarden.imap.mailbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The modified UTF-7 of RFC 3501 section 5.1.3, in which IMAP4rev1 clients that have not enabled UTF-8
 * exchange mailbox names: printable ASCII stands for itself ({@code &} as {@code &-}), everything else is
 * modified base64 of UTF-16 between {@code &} and {@code -}.
 */
public final class ModifiedUtf7 {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private ModifiedUtf7() {
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e)) {
                i++;
            }
            byte[] utf16 = text.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
        }
        return out.toString();
    }

    /**
     * Decodes a name.
     *
     * @throws IllegalArgumentException when it is not valid modified UTF-7 (8-bit characters, a bad
     *         or unterminated shift sequence, or an encoded printable character)
     */
    public static String decode(String name) {
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("8-bit character in a modified UTF-7 name");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = name.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated '&' sequence");
            }
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                continue;
            }
            String b64 = name.substring(i + 1, end).replace(',', '/');
            if (!b64.chars().allMatch(ch -> Character.isLetterOrDigit(ch) && ch < 0x80 || ch == '+' || ch == '/')) {
                throw new IllegalArgumentException("bad character in a modified base64 sequence");
            }
            byte[] utf16;
            try {
                utf16 = DECODER.decode(b64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad modified base64 sequence");
            }
            if (utf16.length == 0 || utf16.length % 2 != 0) {
                throw new IllegalArgumentException("modified base64 sequence is not UTF-16");
            }
            String decoded = new String(utf16, StandardCharsets.UTF_16BE);
            if (decoded.chars().anyMatch(ch -> ch >= 0x20 && ch <= 0x7e) || !ENCODER.encodeToString(utf16)
                    .replace('/', ',').equals(name.substring(i + 1, end))) {
                throw new IllegalArgumentException("non-canonical modified UTF-7");
            }
            out.append(decoded);
            i = end + 1;
        }
        return out.toString();
    }
}
