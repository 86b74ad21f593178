package org.mailwarden.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads runtime settings — the key/value pairs administrators change with {@code mailwarden settings set}
 * or the REST API — into typed values: each is parsed and range-checked, and an absent or bad one gives its
 * default, so a typo never stops a server; a bad one is logged with its key, what is wrong and how to fix
 * it. Every component's settings record (SMTP, outbound, POP3, IMAP, connection limits) reads through it.
 *
 * <pre>
 * SettingsReader r = new SettingsReader(store.settings().all());
 * int maxRecipients = (int) r.number("smtp.max_recipients", 100, 1, 100_000);
 * </pre>
 */
public final class SettingsReader {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsReader.class);

    private final Map<String, String> values;
    private final boolean warn;

    public SettingsReader(Map<String, String> values) {
        this(values, true);
    }

    private SettingsReader(Map<String, String> values, boolean warn) {
        this.values = Objects.requireNonNull(values, "values");
        this.warn = warn;
    }

    /** The same settings, read without warnings: for another component's key, which that component reports. */
    public SettingsReader quiet() {
        return new SettingsReader(values, false);
    }

    /** A whole number from {@code min} to {@code max}. */
    public long number(String key, long fallback, long min, long max) {
        return parse(key, fallback, s -> {
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a whole number");
            }
            long v = Long.parseLong(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be from " + min + " to " + max);
            }
            return v;
        });
    }

    /** A switch: on, true, yes or 1, or off, false, no or 0 (in any case). */
    public boolean flag(String key, boolean fallback) {
        return parse(key, fallback, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be on or off");
        });
    }

    /**
     * The value of {@code key} as {@code parser} reads it (after stripping white space); the parser throws
     * {@link IllegalArgumentException} with a message such as "must be on or off" for a bad value.
     */
    public <T> T parse(String key, T fallback, Function<String, T> parser) {
        String raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return parser.apply(raw.strip());
        } catch (IllegalArgumentException e) {
            if (warn) {
                LOG.warn("setting {}='{}' ignored: {}; using the default {} (fix it with: mailwarden settings set {} VALUE)",
                        key, raw, e.getMessage(), fallback, key);
            }
            return fallback;
        }
    }
}
