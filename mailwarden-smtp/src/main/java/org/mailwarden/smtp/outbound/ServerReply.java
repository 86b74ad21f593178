package org.mailwarden.smtp.outbound;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply read from the next hop: its three-digit code and text lines, with the RFC 3463 enhanced status
 * code when the first line starts with one that fits the code's class. {@link #oneLine()} is what goes into
 * the queue, the log and delivery status notices: printable, single-line and bounded.
 */
public record ServerReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");
    private static final int MAX_ONE_LINE = 500;

    public ServerReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
    }

    public boolean positive() {
        return code / 100 == 2;
    }

    public boolean intermediate() {
        return code / 100 == 3;
    }

    public boolean transientFailure() {
        return code / 100 == 4;
    }

    public boolean permanentFailure() {
        return code / 100 == 5;
    }

    /** The enhanced status code of the first line, such as {@code 5.1.1}, or null. */
    public String enhancedStatus() {
        Matcher m = ENHANCED.matcher(lines.isEmpty() ? "" : lines.getFirst());
        if (m.lookingAt() && m.group(1).charAt(0) - '0' == code / 100) {
            return m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
        }
        return null;
    }

    /** The status for a delivery status notice: the enhanced code, or the generic one for the reply class. */
    public String status() {
        String s = enhancedStatus();
        return s != null ? s : (permanentFailure() ? "5.0.0" : code / 100 == 4 ? "4.0.0" : "2.0.0");
    }

    /** Code and text on one line, control characters replaced, at most 500 characters. */
    public String oneLine() {
        StringBuilder b = new StringBuilder().append(code);
        for (String line : lines) {
            b.append(' ').append(line);
            if (b.length() > MAX_ONE_LINE) {
                break;
            }
        }
        return Text.printable(b.toString(), MAX_ONE_LINE);
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
