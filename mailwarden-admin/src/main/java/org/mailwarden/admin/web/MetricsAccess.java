package org.mailwarden.admin.web;

import java.net.InetAddress;
import java.util.Locale;

/**
 * Who may read {@code /metrics} without the admin token, from the store setting {@value #SETTING}:
 * {@code remote} (the default) lets loopback clients in, such as a Prometheus on the same host, and asks
 * everyone else for the token; {@code always} asks everyone; {@code never} asks no one. A value that is
 * none of these counts as {@code always}, so a typo never opens the endpoint.
 */
public enum MetricsAccess {
    ALWAYS, REMOTE, NEVER;

    /** The store setting that chooses the access. */
    public static final String SETTING = "admin.metrics_token";

    /** The access a setting value chooses; null (not set) is {@link #REMOTE}. */
    public static MetricsAccess of(String setting) {
        if (setting == null) {
            return REMOTE;
        }
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "remote" -> REMOTE;
            case "never" -> NEVER;
            default -> ALWAYS;
        };
    }

    /** Whether a scrape from {@code client} must carry the admin token. */
    public boolean tokenRequired(InetAddress client) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case REMOTE -> !client.isLoopbackAddress();
        };
    }
}
