package org.mailwarden.core.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line read by a {@link LineReader}: its bytes without the line terminator, and how it ended. Protocols
 * act only on {@link Ending#CRLF} lines; the other endings are reported distinctly so that each protocol can
 * refuse them with its own reply: a bare LF (SMTP smuggling defence), a line longer than the limit, or the
 * end of the stream (an unterminated last line must never be executed).
 */
public final class Line {

    /** How a line ended. */
    public enum Ending {
        /** Terminated by CR LF, as every Internet protocol requires. */
        CRLF,
        /** Terminated by an LF without a CR before it. */
        LF,
        /**
         * Not terminated within the line length limit; the bytes are the first {@code limit} bytes and the
         * rest of the line is still unread (see {@link LineReader#skipRestOfLine()}).
         */
        TOO_LONG,
        /** The stream ended; the bytes, possibly none, are an unterminated tail. */
        EOF
    }

    private final byte[] bytes;
    private final Ending ending;
    private final boolean bareCr;

    Line(byte[] bytes, Ending ending, boolean bareCr) {
        this.bytes = bytes;
        this.ending = ending;
        this.bareCr = bareCr;
    }

    public Ending ending() {
        return ending;
    }

    /** Whether the line holds a CR that is not followed by LF (such a CR stays in the bytes). */
    public boolean bareCr() {
        return bareCr;
    }

    /** A properly terminated line (CR LF) without a bare CR inside. */
    public boolean isClean() {
        return ending == Ending.CRLF && !bareCr;
    }

    public boolean isEof() {
        return ending == Ending.EOF;
    }

    public int length() {
        return bytes.length;
    }

    /** A copy of the line's bytes, without the terminator. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** Whether every byte is 7-bit ASCII. */
    public boolean isAscii() {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** The line as US-ASCII text; bytes above 127 become U+FFFD. */
    public String ascii() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The line as UTF-8 text; malformed sequences become U+FFFD. */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the line starts with {@code prefix}, ignoring ASCII case (for command verbs). */
    public boolean startsWithIgnoreCase(String prefix) {
        if (prefix.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            int a = bytes[i] & 0xff;
            int b = prefix.charAt(i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Line other && ending == other.ending && bareCr == other.bareCr
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + ending.hashCode() + (bareCr ? 1 : 0);
    }

    /** The text for logs: the line with control characters escaped, and its ending. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out + " [" + ending + (bareCr ? ", bare CR" : "") + "]";
    }
}
