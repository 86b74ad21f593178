package org.mailwarden.server;

import java.time.Duration;
import java.util.Map;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.net.ConnectionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide limits an administrator may change while the server runs, read from the store's
 * settings: connections in total and per client address (the config file's {@code [limits]} are the
 * defaults), and the authentication throttle shared by SMTP, POP3 and IMAP. A value that is not a positive
 * whole number is ignored with a warning naming the key, so a typo never loosens a limit to nothing.
 */
final class RuntimeLimits {

    static final String MAX_CONNECTIONS = "limits.max_connections";
    static final String MAX_CONNECTIONS_PER_IP = "limits.max_connections_per_ip";
    static final String AUTH_FAILURES_PER_IP = "auth.max_failures_per_ip";
    static final String AUTH_FAILURES_PER_ACCOUNT = "auth.max_failures_per_account";
    static final String AUTH_WINDOW_S = "auth.window_s";
    static final String AUTH_LOCKOUT_S = "auth.lockout_s";
    static final String AUTH_MAX_DELAY_S = "auth.max_delay_s";

    private static final Logger log = LoggerFactory.getLogger(RuntimeLimits.class);

    private RuntimeLimits() {
    }

    static ConnectionLimits connections(Map<String, String> settings, ConnectionLimits fromConfig) {
        return new ConnectionLimits(positive(settings, MAX_CONNECTIONS, fromConfig.maxTotal()),
                positive(settings, MAX_CONNECTIONS_PER_IP, fromConfig.maxPerIp()));
    }

    static AuthThrottle.Settings authThrottle(Map<String, String> settings) {
        AuthThrottle.Settings d = AuthThrottle.Settings.defaults();
        Duration maxDelay = Duration.ofSeconds(positive(settings, AUTH_MAX_DELAY_S, (int) d.maxDelay().toSeconds()));
        return new AuthThrottle.Settings(
                Duration.ofSeconds(positive(settings, AUTH_WINDOW_S, (int) d.window().toSeconds())),
                positive(settings, AUTH_FAILURES_PER_IP, d.maxFailuresPerAddress()),
                positive(settings, AUTH_FAILURES_PER_ACCOUNT, d.maxFailuresPerLogin()),
                d.baseDelay(),
                maxDelay.compareTo(d.baseDelay()) < 0 ? d.baseDelay() : maxDelay,
                Duration.ofSeconds(positive(settings, AUTH_LOCKOUT_S, (int) d.lockout().toSeconds())),
                d.maxTracked());
    }

    private static int positive(Map<String, String> settings, String key, int fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        log.warn("setting {} = '{}' is not a positive whole number; using {} (fix it with: mailwarden settings set {} N)",
                key, value, fallback, key);
        return fallback;
    }
}
