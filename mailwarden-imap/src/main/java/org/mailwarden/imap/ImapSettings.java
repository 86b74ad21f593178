package org.mailwarden.imap;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP switches and limits an administrator changes while the server runs, read from the store's
 * settings under the {@code imap.} prefix, with safe defaults. A value that does not parse or lies outside
 * its range is ignored with a warning naming the key, so a typo never takes the service down. Sessions
 * take the settings current when they start.
 *
 * @param allowPlaintext  {@code imap.allow_plaintext}: whether LOGIN and AUTHENTICATE PLAIN may be used
 *                        without TLS ({@code off} by default: LOGINDISABLED until STARTTLS)
 * @param appendLimit     {@code imap.append_limit}: the largest message APPEND accepts, in octets
 *                        (announced as APPENDLIMIT); defaults to {@code smtp.max_message_size}, else 50 MiB
 * @param idleTimeout     {@code imap.idle_timeout_s}: how long an authenticated client may stay silent;
 *                        RFC 9051 asks for at least 30 minutes
 * @param loginTimeout    {@code imap.login_timeout_s}: how long a client may stay silent before logging in
 * @param maxAuthFailures {@code imap.max_auth_failures}: failed logins on one connection before it is closed
 * @param maxBadCommands  {@code imap.max_bad_commands}: consecutive malformed commands before it is closed
 */
public record ImapSettings(boolean allowPlaintext, long appendLimit, Duration idleTimeout, Duration loginTimeout,
                           int maxAuthFailures, int maxBadCommands) {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSettings.class);

    public static final long DEFAULT_APPEND_LIMIT = 50L * 1024 * 1024;
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(30);

    public static final ImapSettings DEFAULTS = new ImapSettings(false, DEFAULT_APPEND_LIMIT, MIN_IDLE_TIMEOUT,
            Duration.ofMinutes(2), 3, 20);

    public static ImapSettings from(Map<String, String> values) {
        ImapSettings d = DEFAULTS;
        long smtpSize = number(values, "smtp.max_message_size", d.appendLimit, 1024, Long.MAX_VALUE / 2, false);
        return new ImapSettings(
                parse(values, "imap.allow_plaintext", d.allowPlaintext, ImapSettings::flag),
                number(values, "imap.append_limit", smtpSize, 1024, 4L << 30, true),
                Duration.ofSeconds(number(values, "imap.idle_timeout_s", d.idleTimeout.toSeconds(),
                        MIN_IDLE_TIMEOUT.toSeconds(), 7 * 86_400, true)),
                Duration.ofSeconds(number(values, "imap.login_timeout_s", d.loginTimeout.toSeconds(), 10, 3600, true)),
                (int) number(values, "imap.max_auth_failures", d.maxAuthFailures, 1, 100, true),
                (int) number(values, "imap.max_bad_commands", d.maxBadCommands, 1, 1000, true));
    }

    private static boolean flag(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be on or off");
        };
    }

    private static long number(Map<String, String> values, String key, long fallback, long min, long max, boolean warn) {
        return parse(values, key, fallback, s -> {
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("is not a whole number");
            }
            long v = Long.parseLong(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be from " + min + " to " + max);
            }
            return v;
        }, warn);
    }

    private static <T> T parse(Map<String, String> values, String key, T fallback, Function<String, T> parser) {
        return parse(values, key, fallback, parser, true);
    }

    private static <T> T parse(Map<String, String> values, String key, T fallback, Function<String, T> parser,
                               boolean warn) {
        String raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return parser.apply(raw.strip());
        } catch (IllegalArgumentException e) {
            if (warn) {
                LOG.warn("setting {}='{}' ignored: {}; using the default until it is corrected", key, raw, e.getMessage());
            }
            return fallback;
        }
    }
}
