package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.mailwarden.store.mime.HeaderFields;

/**
 * A header block read for SEARCH: its fields unfolded, with encoded-words decoded (RFC 2047, by Mime4j)
 * and raw 8-bit text read as UTF-8, so that a search for "café" finds {@code =?iso-8859-1?q?caf=E9?=}.
 * Reads at most {@value #MAX_HEADER} octets.
 */
final class HeaderText {

    static final int MAX_HEADER = 1024 * 1024;

    private final byte[] bytes;
    /** Per field: the offset of its name, of its colon and of its end (after the last line's LF). */
    private final int[] bounds;
    private final int count;
    /** The decoded values, filled as fields are asked for: a SEARCH FROM decodes only the From field. */
    private final String[] values;
    private String lines;

    private HeaderText(byte[] bytes, int[] bounds, int count) {
        this.bytes = bytes;
        this.bounds = bounds;
        this.count = count;
        this.values = new String[count];
    }

    /** Reads a header block of {@code size} octets (at most {@value #MAX_HEADER} of them). */
    static HeaderText read(InputStream in, long size) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(size, MAX_HEADER));
        return parse(bytes, 0, bytes.length);
    }

    /** The header block in {@code bytes[from..to)}; {@code to} may lie past the end of a short array. */
    static HeaderText parse(byte[] bytes, int from, int to) {
        int end = Math.min(to, bytes.length);
        int[] bounds = new int[3 * 32];
        int count = 0;
        int fieldStart = -1;
        int i = from;
        while (i < end && bytes[i] != '\r' && bytes[i] != '\n') {
            boolean continuation = bytes[i] == ' ' || bytes[i] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) {
                    bounds = add(bounds, count, bytes, fieldStart, i);
                    count += bounds[3 * count + 1] > 0 ? 1 : 0;
                }
                fieldStart = i;
            }
            while (i < end && bytes[i] != '\n') {
                i++;
            }
            i++;
        }
        if (fieldStart >= 0) {
            bounds = add(bounds, count, bytes, fieldStart, Math.min(i, end));
            count += bounds[3 * count + 1] > 0 ? 1 : 0;
        }
        return new HeaderText(bytes, bounds, count);
    }

    /**
     * Records field {@code count} spanning {@code from..to}; its colon slot stays 0 (not counted) when the
     * line has no field name.
     */
    private static int[] add(int[] bounds, int count, byte[] bytes, int from, int to) {
        if (bounds.length < 3 * (count + 1)) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == ':') {
                colon = i;
                break;
            }
        }
        bounds[3 * count] = from;
        bounds[3 * count + 1] = colon <= from ? 0 : colon;
        bounds[3 * count + 2] = to;
        return bounds;
    }

    private String name(int field) {
        int from = bounds[3 * field];
        return new String(bytes, from, bounds[3 * field + 1] - from, StandardCharsets.ISO_8859_1).strip();
    }

    /** Whether field {@code field}'s name is {@code name}, ignoring case and blanks before the colon. */
    private boolean named(int field, String name) {
        int from = bounds[3 * field];
        int colon = bounds[3 * field + 1];
        while (colon > from && (bytes[colon - 1] == ' ' || bytes[colon - 1] == '\t')) {
            colon--;
        }
        if (colon - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int a = bytes[from + i] & 0xff;
            int b = name.charAt(i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    /** The unfolded value of field {@code field}, encoded-words decoded, 8-bit text read as UTF-8. */
    private String value(int field) {
        String v = values[field];
        if (v == null) {
            int colon = bounds[3 * field + 1];
            int to = bounds[3 * field + 2];
            byte[] value = new byte[to - colon - 1];
            int n = 0;
            for (int i = colon + 1; i < to; i++) {
                if (bytes[i] != '\r' && bytes[i] != '\n') {
                    value[n++] = bytes[i];
                }
            }
            v = decode(ascii(value, n) ? new String(value, 0, n, StandardCharsets.ISO_8859_1).strip()
                    : HeaderFields.text(value, n).strip());
            values[field] = v;
        }
        return v;
    }

    private static boolean ascii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes RFC 2047 encoded-words; text that is not one stays as it is. */
    static String decode(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return value;
        }
    }

    /** Whether a field named {@code name} (case-insensitive) contains {@code needle}. */
    boolean contains(String name, FoldedNeedle needle) {
        for (int f = 0; f < count; f++) {
            if (named(f, name) && needle.in(value(f))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any field, as "name: value", contains {@code needle}. The fields are searched as one text
     * with a line feed after each; no field contains one, so a needle with a line break matches none.
     */
    boolean anyContains(FoldedNeedle needle) {
        if (needle.hasLineBreak()) {
            return false;
        }
        if (lines == null) {
            StringBuilder text = new StringBuilder();
            for (int f = 0; f < count; f++) {
                text.append(name(f)).append(": ").append(value(f)).append('\n');
            }
            lines = text.toString();
        }
        return needle.in(lines);
    }

    /** The day of an RFC 5322 Date value ("Mon, 6 May 2024 07:08:09 +0000"), or null when unreadable. */
    static LocalDate day(String date) {
        if (date == null) {
            return null;
        }
        String[] tokens = date.replaceAll("\\([^)]*\\)", " ").split("[\\s,]+");
        for (int i = 0; i + 2 < tokens.length; i++) {
            if (tokens[i].matches("\\d{1,2}")) {
                int month = month(tokens[i + 1]);
                if (month > 0 && tokens[i + 2].matches("\\d{2,4}")) {
                    int year = Integer.parseInt(tokens[i + 2]);
                    if (tokens[i + 2].length() == 2) {
                        year += year < 50 ? 2000 : 1900;
                    } else if (tokens[i + 2].length() == 3) {
                        year += 1900;
                    }
                    try {
                        return LocalDate.of(year, month, Integer.parseInt(tokens[i]));
                    } catch (DateTimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static int month(String name) {
        String m = name.length() >= 3 ? name.substring(0, 3).toLowerCase(Locale.ROOT) : "";
        int i = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(m);
        return i + 1;
    }
}
