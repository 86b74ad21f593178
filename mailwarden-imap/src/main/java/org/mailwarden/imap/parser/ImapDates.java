package org.mailwarden.imap.parser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * IMAP's two date syntaxes: {@code date} ({@code 7-Feb-2024}, used by SEARCH) and {@code date-time}
 * ({@code " 7-Feb-2024 09:10:11 +0100"}, used by APPEND and INTERNALDATE). Month names are English and
 * case-insensitive; anything else is a syntax error with a reason.
 */
public final class ImapDates {

    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sep", "Oct", "Nov", "Dec");

    private ImapDates() {
    }

    /** Parses {@code d-Mon-yyyy} (day of one or two digits). */
    public static LocalDate parseDate(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 2 || parts[2].length() != 4
                || !digits(parts[0]) || !digits(parts[2])) {
            throw ImapParseException.bad("invalid date '" + clip(text) + "' (expected e.g. 7-Feb-2024)");
        }
        try {
            return LocalDate.of(Integer.parseInt(parts[2]), month(parts[1], text), Integer.parseInt(parts[0]));
        } catch (DateTimeException e) {
            throw ImapParseException.bad("invalid date '" + clip(text) + "': " + e.getMessage());
        }
    }

    /** Parses {@code dd-Mon-yyyy hh:mm:ss +zzzz}; the day may be space-padded or one digit. */
    public static OffsetDateTime parseDateTime(String text) {
        String t = text.startsWith(" ") ? text.substring(1) : text;
        String[] parts = t.split(" ", -1);
        if (parts.length != 3 || parts[1].length() != 8 || parts[2].length() != 5) {
            throw ImapParseException.bad("invalid date-time '" + clip(text) + "' (expected e.g. \"07-Feb-2024 09:10:11 +0100\")");
        }
        LocalDate date = parseDate(parts[0]);
        String time = parts[1];
        String zone = parts[2];
        if (time.charAt(2) != ':' || time.charAt(5) != ':' || !digits(time.substring(0, 2)) || !digits(time.substring(3, 5))
                || !digits(time.substring(6)) || (zone.charAt(0) != '+' && zone.charAt(0) != '-') || !digits(zone.substring(1))) {
            throw ImapParseException.bad("invalid date-time '" + clip(text) + "'");
        }
        try {
            int hours = Integer.parseInt(zone.substring(1, 3));
            int minutes = Integer.parseInt(zone.substring(3));
            int sign = zone.charAt(0) == '-' ? -1 : 1;
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            return OffsetDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                    Integer.parseInt(time.substring(0, 2)), Integer.parseInt(time.substring(3, 5)),
                    Integer.parseInt(time.substring(6)), 0, offset);
        } catch (DateTimeException e) {
            throw ImapParseException.bad("invalid date-time '" + clip(text) + "': " + e.getMessage());
        }
    }

    /** The INTERNALDATE form, {@code "07-Feb-2024 09:10:11 +0000"} without the quotes, in UTC. */
    public static String format(Instant instant) {
        OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%02d-%s-%04d %02d:%02d:%02d +0000", t.getDayOfMonth(),
                MONTHS.get(t.getMonthValue() - 1), t.getYear(), t.getHour(), t.getMinute(), t.getSecond());
    }

    private static int month(String name, String whole) {
        for (int i = 0; i < MONTHS.size(); i++) {
            if (MONTHS.get(i).equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        throw ImapParseException.bad("invalid month in date '" + clip(whole) + "'");
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
