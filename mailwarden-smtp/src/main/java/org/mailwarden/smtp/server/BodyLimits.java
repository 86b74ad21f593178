package org.mailwarden.smtp.server;

/**
 * The limits every received body is checked against while it streams in.
 *
 * @param maxSize       the largest message, in octets as stored (after dot-unstuffing), announced as SIZE
 * @param maxLineLength the most octets a line may hold before its CRLF
 * @param maxHops       the most Received headers a message may already carry
 */
public record BodyLimits(long maxSize, int maxLineLength, int maxHops) {

    public static final BodyLimits DEFAULT = new BodyLimits(50L * 1024 * 1024, 998, 50);

    public BodyLimits {
        if (maxSize < 1 || maxLineLength < 78 || maxHops < 1) {
            throw new IllegalArgumentException("body limits too small: " + maxSize + "/" + maxLineLength + "/" + maxHops);
        }
    }
}
