package org.mailwarden.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How many connections a server holds at once, in total and from one client IP address, and how long a
 * client may take to send one line once it has begun it. They protect file descriptors, memory and
 * session slots, so they are part of how the process starts (the {@code [limits]} table of the config
 * file) rather than runtime policy.
 *
 * @param lineDeadline a line not complete this long after its first bytes arrived ends the connection as a
 *                     timeout (see {@link LineReader#setLineDeadline}), so that a client trickling a byte at
 *                     a time cannot hold a session forever; zero means no deadline
 */
public record ConnectionLimits(int maxTotal, int maxPerIp, Duration lineDeadline) {

    /** The line deadline when the config file does not set one. */
    public static final Duration DEFAULT_LINE_DEADLINE = Duration.ofSeconds(60);
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(1000, 20);

    public ConnectionLimits {
        if (maxTotal < 1 || maxPerIp < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        Objects.requireNonNull(lineDeadline, "lineDeadline");
        if (lineDeadline.isNegative()) {
            throw new IllegalArgumentException("the line deadline must not be negative");
        }
    }

    /** Connection limits with the default line deadline. */
    public ConnectionLimits(int maxTotal, int maxPerIp) {
        this(maxTotal, maxPerIp, DEFAULT_LINE_DEADLINE);
    }
}
