package org.mailwarden.smtp.outbound;

/**
 * Makes text from the network safe for one-line places: logs, queue fields, DSN fields. Control
 * characters become spaces or escapes, runs of blanks collapse, and the result is cut to a bound.
 */
final class Text {

    private Text() {
    }

    /** {@code s} with every control character as a space, blank runs collapsed, at most {@code max} chars. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        boolean blank = false;
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            boolean space = c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c);
            if (space) {
                if (!blank && b.length() > 0) {
                    b.append(' ');
                }
                blank = true;
            } else {
                b.append(c);
                blank = false;
            }
        }
        return b.toString().strip();
    }
}
