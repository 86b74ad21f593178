package org.mailwarden.imap.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies the fields of a header block that HEADER.FIELDS (or, negated, HEADER.FIELDS.NOT) selects,
 * byte for byte with their folding, followed by the blank line that ends a header. It streams: only a
 * field's name is buffered to decide, so a huge header costs no memory.
 */
final class HeaderFilter {

    private static final int MAX_NAME = 998;

    private final Set<String> names = new TreeSet<>();
    private final boolean negate;

    HeaderFilter(List<String> fields, boolean negate) {
        fields.forEach(f -> names.add(f.toLowerCase(Locale.ROOT)));
        this.negate = negate;
    }

    /** Filters the header octets from {@code in} to {@code out}. */
    void copy(InputStream in, OutputStream out) throws IOException {
        byte[] name = new byte[MAX_NAME];
        boolean include = false;
        int c = in.read();
        while (c >= 0) {
            if (c == '\r' || c == '\n') {
                // the blank line that ends the header, or a stray line break: skip it
                c = in.read();
                continue;
            }
            if (c == ' ' || c == '\t') {
                c = copyLine(c, in, include ? out : OutputStream.nullOutputStream());
                continue;
            }
            int n = 0;
            while (c >= 0 && c != ':' && c != '\r' && c != '\n') {
                if (n < MAX_NAME) {
                    name[n] = (byte) c;
                }
                n++;
                c = in.read();
            }
            boolean field = c == ':' && n > 0 && n <= MAX_NAME;
            String fieldName = field ? new String(name, 0, n, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT) : "";
            include = field && names.contains(fieldName) != negate;
            OutputStream target = include ? out : OutputStream.nullOutputStream();
            target.write(name, 0, Math.min(n, MAX_NAME));
            c = copyLine(c, in, target);
        }
        out.write('\r');
        out.write('\n');
    }

    /** Copies from {@code c} through the end of its line (CR LF or LF); returns the next octet. */
    private static int copyLine(int c, InputStream in, OutputStream out) throws IOException {
        while (c >= 0 && c != '\n') {
            out.write(c);
            c = in.read();
        }
        if (c == '\n') {
            out.write('\n');
            c = in.read();
        }
        return c;
    }
}
