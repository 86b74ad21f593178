package org.mailwarden.core.address;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Domain-name normalisation shared by the SMTP path parser, login names and the admin CLI. The canonical
 * form is lower-case ASCII with internationalised labels converted to A-labels ({@code xn--...}), which is
 * the only form ever compared against local domains. The rules are deliberately stricter than DNS: no
 * trailing dot (a trailing dot would let {@code example.test.} and {@code example.test} be spelled two ways),
 * no empty labels, letters/digits/hyphen only, no hyphen at either end of a label, at most 63 octets per
 * label and 255 for the name, and a top-level label that is not all digits (so a domain can never look
 * like an IPv4 address; literals have their own bracketed syntax).
 */
public final class DomainName {

    /** RFC 5321 §4.5.3.1.2: the longest domain name, in octets. */
    public static final int MAX_OCTETS = 255;
    /** RFC 1035: the longest label, in octets. */
    public static final int MAX_LABEL_OCTETS = 63;

    // Bound the work done on hostile input before any per-character processing.
    private static final int MAX_INPUT_CHARS = 1024;

    private DomainName() {
    }

    /**
     * Returns the canonical form of {@code text} ({@code "Example.TEST"} gives {@code "example.test"},
     * {@code "bücher.example"} gives {@code "xn--bcher-kva.example"}).
     *
     * @throws IllegalArgumentException naming what is wrong, fit to show to an administrator
     */
    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidDomain("empty domain", "empty domain name");
        }
        if (text.length() > MAX_INPUT_CHARS) {
            throw new InvalidDomain("domain longer than 255 octets", "domain name longer than " + MAX_OCTETS + " octets");
        }
        if (text.endsWith(".")) {
            throw new InvalidDomain("trailing dot in domain", "domain name '" + printable(text) + "' ends with a dot; write it without the trailing dot");
        }
        String[] labels = text.split("\\.", -1);
        StringBuilder out = new StringBuilder(text.length());
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidDomain("empty label in domain", "domain name '" + printable(text) + "' has an empty label (two dots in a row or a leading dot)");
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(isAscii(label) ? asciiLabel(label, text) : unicodeLabel(label, text));
        }
        if (out.length() > MAX_OCTETS) {
            throw new InvalidDomain("domain longer than 255 octets", "domain name is longer than " + MAX_OCTETS + " octets");
        }
        String last = out.substring(out.lastIndexOf(".") + 1);
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidDomain("all-numeric top-level domain", "domain name '" + printable(text) + "' has an all-numeric top-level label; "
                    + "an IP address must be written as an address literal such as [192.0.2.1]");
        }
        return out.toString();
    }

    /** Whether {@link #normalize} accepts {@code text}. */
    public static boolean isValid(String text) {
        try {
            normalize(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String asciiLabel(String label, String whole) {
        if (label.length() > MAX_LABEL_OCTETS) {
            throw new InvalidDomain("domain label longer than 63 octets", "label '" + printable(label) + "' in '" + printable(whole) + "' is longer than 63 octets");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!isLetterDigit(c) && c != '-') {
                throw new InvalidDomain(c == ' ' ? "space in domain" : c < 0x20 || c == 0x7f ? "control character in domain" : "character not allowed in domain",
                        "domain name '" + printable(whole) + "' contains " + describe(c)
                        + "; only letters, digits, hyphens and dots are allowed");
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw new InvalidDomain("domain label starts or ends with a hyphen", "label '" + label + "' in '" + printable(whole) + "' starts or ends with a hyphen");
        }
        return label.toLowerCase(Locale.ROOT);
    }

    private static String unicodeLabel(String label, String whole) {
        for (int i = 0; i < label.length(); ) {
            int cp = label.codePointAt(i);
            if (isForbiddenInUnicodeLabel(cp)) {
                throw new InvalidDomain("character not allowed in domain", "domain name '" + printable(whole) + "' contains " + describe(cp) + ", which is not allowed in a domain name");
            }
            i += Character.charCount(cp);
        }
        String prepared = Normalizer.normalize(label, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        String ace;
        try {
            ace = IDN.toASCII(prepared, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidDomain("invalid internationalised domain label", "label '" + printable(label) + "' in '" + printable(whole) + "' is not a valid internationalised label");
        }
        // IDNA mappings must not be able to split a label or produce anything but one LDH label.
        if (ace.isEmpty() || ace.indexOf('.') >= 0 || !isAscii(ace)) {
            throw new InvalidDomain("invalid internationalised domain label", "label '" + printable(label) + "' in '" + printable(whole) + "' is not a valid internationalised label");
        }
        return asciiLabel(ace, whole);
    }

    /**
     * Characters refused in a U-label before IDNA mapping: controls, spaces, format characters (zero-width
     * joiners and the like, which would make two different-looking strings equal), private-use,
     * unassigned and lone surrogates, and the alternative full stops that IDNA treats as label separators.
     */
    static boolean isForbiddenInUnicodeLabel(int cp) {
        if (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61 || cp == 0xFFFD) {
            return true;
        }
        return isProhibitedCodePoint(cp);
    }

    /** Code points never accepted anywhere in an address: controls, spaces, format, private-use, unassigned. */
    static boolean isProhibitedCodePoint(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> true;
            default -> cp == 0xFFFD;
        };
    }

    static boolean isLetterDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static boolean isAscii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String describe(int cp) {
        if (cp == ' ') {
            return "a space";
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            return String.format("a control character (U+%04X)", cp);
        }
        return String.format("the character '%s' (U+%04X)", printable(new String(Character.toChars(cp))), cp);
    }

    /** The text with control characters replaced, so an error message can't carry line breaks or NULs. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }

    /**
     * A refused domain name: the message is the detailed text for administrators, {@link #reason()} a
     * short fixed phrase that never echoes the input, for SMTP replies.
     */
    static final class InvalidDomain extends IllegalArgumentException {

        private final String reason;

        InvalidDomain(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
