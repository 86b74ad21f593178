package org.mailwarden.imap;

import java.time.Duration;
import java.util.Map;
import org.mailwarden.core.config.SettingsReader;

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

    public static final long DEFAULT_APPEND_LIMIT = 50L * 1024 * 1024;
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(30);

    public static final ImapSettings DEFAULTS = new ImapSettings(false, DEFAULT_APPEND_LIMIT, MIN_IDLE_TIMEOUT,
            Duration.ofMinutes(2), 3, 20);

    public static ImapSettings from(Map<String, String> values) {
        SettingsReader r = new SettingsReader(values);
        ImapSettings d = DEFAULTS;
        // SMTP reports a bad smtp.max_message_size itself
        long smtpSize = r.quiet().number("smtp.max_message_size", d.appendLimit, 1024, Long.MAX_VALUE / 2);
        return new ImapSettings(
                r.flag("imap.allow_plaintext", d.allowPlaintext),
                r.number("imap.append_limit", smtpSize, 1024, 4L << 30),
                Duration.ofSeconds(r.number("imap.idle_timeout_s", d.idleTimeout.toSeconds(),
                        MIN_IDLE_TIMEOUT.toSeconds(), 7 * 86_400)),
                Duration.ofSeconds(r.number("imap.login_timeout_s", d.loginTimeout.toSeconds(), 10, 3600)),
                (int) r.number("imap.max_auth_failures", d.maxAuthFailures, 1, 100),
                (int) r.number("imap.max_bad_commands", d.maxBadCommands, 1, 1000));
    }
}
