package org.mailwarden.core.net;

/**
 * How many connections a server holds at once, in total and from one client IP address. They protect
 * file descriptors and memory, so they are part of how the process starts (the {@code [limits]} table of
 * the config file) rather than runtime policy.
 */
public record ConnectionLimits(int maxTotal, int maxPerIp) {

    public static final ConnectionLimits DEFAULT = new ConnectionLimits(1000, 20);

    public ConnectionLimits {
        if (maxTotal < 1 || maxPerIp < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
    }
}
