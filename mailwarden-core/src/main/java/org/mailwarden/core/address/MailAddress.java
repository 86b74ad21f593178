package org.mailwarden.core.address;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox address in its canonical form: the local part exactly as the client meant it (quotes
 * removed, case kept, because RFC 5321 leaves local-part case to the receiving host) and the domain in
 * lower-case ASCII (IDNs as A-labels). Two addresses name the same mailbox when {@link #key()} matches:
 * mailwarden treats local parts case-insensitively for lookups, as practically every server does.
 * Instances are produced by the strict path parser; the constructor only checks non-emptiness.
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("empty local part or domain");
        }
    }

    /** Lookup key: lower-cased local part and domain, used for accounts and aliases. */
    public String key() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /**
     * The address as written in an SMTP command or header: the local part quoted (with {@code "} and
     * {@code \\} escaped) unless it is a plain dot-string, so a local part such as {@code a@b} that arrived
     * quoted leaves quoted and can never be re-read with a different domain.
     */
    public String toSmtpForm() {
        return (isDotString(localPart) ? localPart : quote(localPart)) + "@" + domain;
    }

    private static boolean isDotString(String s) {
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        return s.codePoints().allMatch(c -> c == '.' || c >= 0x80 || PathParser.isAtext(c));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.appendCodePoint(c);
        });
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
