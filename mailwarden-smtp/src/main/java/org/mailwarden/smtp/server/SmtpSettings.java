package org.mailwarden.smtp.server;

import java.time.Duration;
import java.util.Map;
import org.mailwarden.core.config.SettingsReader;

/**
 * The SMTP limits and switches an administrator changes while the server runs, read from the store's
 * {@code Settings} under the {@code smtp.} prefix with safe defaults. A value that does not parse or lies
 * outside its range is ignored with a warning naming the key, so a typo never takes the server down.
 *
 * @param maxMessageSize         {@code smtp.max_message_size}: octets, announced as SIZE
 * @param maxRecipients          {@code smtp.max_recipients}: per message; more get 452 4.5.3
 * @param maxLineLength          {@code smtp.max_line_length}: octets per message line before CRLF
 * @param maxHops                {@code smtp.max_hops}: Received headers a message may already carry
 * @param authOnMta              {@code smtp.auth_on_mta}: offer AUTH (after STARTTLS) on the MTA port
 * @param rejectForgedLocalSender {@code smtp.reject_forged_local_sender}: refuse a local-domain sender
 *                               from an unauthenticated client outside the allowed networks
 * @param addressLiterals        {@code smtp.address_literals}: accept {@code user@[our listener IP]} as local
 * @param errorSoftLimit         {@code smtp.error_soft_limit}: failed commands before replies slow down
 * @param errorHardLimit         {@code smtp.error_hard_limit}: failed commands before 421 and close
 * @param errorDelay             {@code smtp.error_delay_ms}: added per failure past the soft limit
 * @param commandTimeout         {@code smtp.command_timeout_s}: waiting for a command (RFC 5321 §4.5.3.2.7)
 * @param dataTimeout            {@code smtp.data_timeout_s}: waiting for the next data block (§4.5.3.2.5)
 */
public record SmtpSettings(long maxMessageSize, int maxRecipients, int maxLineLength, int maxHops, boolean authOnMta,
                           boolean rejectForgedLocalSender, boolean addressLiterals, int errorSoftLimit,
                           int errorHardLimit, Duration errorDelay, Duration commandTimeout, Duration dataTimeout) {

    public static final SmtpSettings DEFAULTS = new SmtpSettings(50L * 1024 * 1024, 100, 998, 50, true, true, false,
            5, 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(3));

    /** Reads every {@code smtp.} key from a settings map, falling back to the default for absent or bad values. */
    public static SmtpSettings from(Map<String, String> values) {
        SettingsReader r = new SettingsReader(values);
        SmtpSettings d = DEFAULTS;
        return new SmtpSettings(
                r.number("smtp.max_message_size", d.maxMessageSize, 1024, Long.MAX_VALUE / 2),
                (int) r.number("smtp.max_recipients", d.maxRecipients, 1, 100_000),
                (int) r.number("smtp.max_line_length", d.maxLineLength, 78, 1_000_000),
                (int) r.number("smtp.max_hops", d.maxHops, 1, 1000),
                r.flag("smtp.auth_on_mta", d.authOnMta),
                r.flag("smtp.reject_forged_local_sender", d.rejectForgedLocalSender),
                r.flag("smtp.address_literals", d.addressLiterals),
                (int) r.number("smtp.error_soft_limit", d.errorSoftLimit, 0, 1000),
                (int) r.number("smtp.error_hard_limit", d.errorHardLimit, 1, 1000),
                Duration.ofMillis(r.number("smtp.error_delay_ms", d.errorDelay.toMillis(), 0, 60_000)),
                Duration.ofSeconds(r.number("smtp.command_timeout_s", d.commandTimeout.toSeconds(), 1, 3600)),
                Duration.ofSeconds(r.number("smtp.data_timeout_s", d.dataTimeout.toSeconds(), 1, 3600)));
    }

    /** The body limits of these settings. */
    public BodyLimits bodyLimits() {
        return new BodyLimits(maxMessageSize, maxLineLength, maxHops);
    }

    /** How long to hold back the reply to the {@code failures}-th failed command (growing past the soft limit). */
    public Duration delayAfter(int failures) {
        int over = failures - errorSoftLimit;
        return over <= 0 ? Duration.ZERO : errorDelay.multipliedBy(Math.min(over, 10));
    }
}
