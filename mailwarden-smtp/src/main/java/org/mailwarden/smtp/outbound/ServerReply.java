package org.mailwarden.smtp.outbound;

import java.util.List;

/**
 * A reply read from the next hop: its three-digit code and text lines. {@link #oneLine()} is what goes into
 * the queue, the log and delivery status notices: printable, single-line and bounded; the notices take
 * the RFC 3463 enhanced status code from it ({@link DsnBuilder#status}).
 */
public record ServerReply(int code, List<String> lines) {

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
