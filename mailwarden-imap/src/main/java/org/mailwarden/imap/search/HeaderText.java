package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

    record Field(String name, String value) {
    }

    private final List<Field> fields;
    private String lines;

    private HeaderText(List<Field> fields) {
        this.fields = fields;
    }

    /** Reads a header block of {@code size} octets (at most {@value #MAX_HEADER} of them). */
    static HeaderText read(InputStream in, long size) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(size, MAX_HEADER));
        List<Field> out = new ArrayList<>();
        int fieldStart = -1;
        int i = 0;
        while (i < bytes.length && bytes[i] != '\r' && bytes[i] != '\n') {
            boolean continuation = bytes[i] == ' ' || bytes[i] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) {
                    add(out, bytes, fieldStart, i);
                }
                fieldStart = i;
            }
            while (i < bytes.length && bytes[i] != '\n') {
                i++;
            }
            i++;
        }
        if (fieldStart >= 0) {
            add(out, bytes, fieldStart, Math.min(i, bytes.length));
        }
        return new HeaderText(out);
    }

    private static void add(List<Field> out, byte[] bytes, int from, int to) {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= from) {
            return;
        }
        String name = new String(bytes, from, colon - from, StandardCharsets.ISO_8859_1).strip();
        byte[] value = new byte[to - colon - 1];
        int n = 0;
        for (int i = colon + 1; i < to; i++) {
            if (bytes[i] != '\r' && bytes[i] != '\n') {
                value[n++] = bytes[i];
            }
        }
        out.add(new Field(name, decode(ascii(value, n) ? new String(value, 0, n, StandardCharsets.ISO_8859_1).strip()
                : HeaderFields.text(value, n).strip())));
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

    List<Field> fields() {
        return fields;
    }

    /** Whether a field named {@code name} (case-insensitive) contains {@code needle}. */
    boolean contains(String name, FoldedNeedle needle) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name) && needle.in(f.value())) {
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
            for (Field f : fields) {
                text.append(f.name()).append(": ").append(f.value()).append('\n');
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
