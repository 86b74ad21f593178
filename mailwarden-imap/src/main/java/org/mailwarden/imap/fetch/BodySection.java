package org.mailwarden.imap.fetch;

import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;

/**
 * A FETCH body section ({@code [1.2.HEADER.FIELDS (Subject)]}): the part path, what of the part is
 * wanted, and the header field names for HEADER.FIELDS(.NOT).
 *
 * @param path   part numbers, empty for the whole message
 * @param text   what of the part: the whole part, its header, selected fields, its text or its MIME header
 * @param fields header field names for {@link Text#HEADER_FIELDS} and {@link Text#HEADER_FIELDS_NOT}
 */
public record BodySection(List<Integer> path, Text text, List<String> fields) {

    /** The section-text of RFC 9051 (NONE: the part's whole content). */
    public enum Text { NONE, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    static final int MAX_PATH = 32;

    public BodySection {
        path = List.copyOf(path);
        fields = List.copyOf(fields);
    }

    public static final BodySection WHOLE = new BodySection(List.of(), Text.NONE, List.of());

    /** Parses the section after its '[' up to and including ']'. */
    public static BodySection parse(CommandReader r) throws java.io.IOException {
        List<Integer> path = new ArrayList<>();
        Text text = Text.NONE;
        List<String> fields = new ArrayList<>();
        if (r.take(']')) {
            return WHOLE;
        }
        String spec = r.keywordUntil("[");
        String[] pieces = spec.split("\\.", -1);
        int i = 0;
        while (i < pieces.length && !pieces[i].isEmpty() && pieces[i].chars().allMatch(Character::isDigit)) {
            if (pieces[i].length() > 9 || pieces[i].startsWith("0") || path.size() >= MAX_PATH) {
                throw ImapParseException.bad("invalid part number in section [" + clip(spec) + "]");
            }
            path.add(Integer.parseInt(pieces[i]));
            i++;
        }
        String rest = String.join(".", java.util.Arrays.asList(pieces).subList(i, pieces.length));
        switch (rest) {
            case "" -> text = Text.NONE;
            case "HEADER" -> text = Text.HEADER;
            case "TEXT" -> text = Text.TEXT;
            case "MIME" -> {
                if (path.isEmpty()) {
                    throw ImapParseException.bad("MIME needs a part number, e.g. [1.MIME]");
                }
                text = Text.MIME;
            }
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                text = rest.endsWith(".NOT") ? Text.HEADER_FIELDS_NOT : Text.HEADER_FIELDS;
                r.sp();
                r.openList();
                do {
                    String f = r.astring();
                    if (f.isEmpty() || f.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == ':')) {
                        throw ImapParseException.bad("invalid header field name '" + clip(f) + "'");
                    }
                    fields.add(f);
                } while (r.take(' '));
                r.closeList();
            }
            default -> throw ImapParseException.bad("invalid section [" + clip(spec) + "]");
        }
        if (spec.endsWith(".") && text == Text.NONE) {
            throw ImapParseException.bad("invalid section [" + clip(spec) + "]");
        }
        r.expect(']', "']' to close the section");
        return new BodySection(path, text, fields);
    }

    /** The section as it is echoed in the response, e.g. {@code 1.HEADER.FIELDS (SUBJECT FROM)}. */
    public String spec() {
        StringBuilder out = new StringBuilder();
        for (int n : path) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(n);
        }
        String t = switch (text) {
            case NONE -> "";
            case HEADER -> "HEADER";
            case HEADER_FIELDS -> "HEADER.FIELDS";
            case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT";
            case TEXT -> "TEXT";
            case MIME -> "MIME";
        };
        if (!t.isEmpty()) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(t);
        }
        if (!fields.isEmpty()) {
            out.append(" (");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                out.append(astring(fields.get(i)));
            }
            out.append(')');
        }
        return out.toString();
    }

    /** A field name as it was asked for: an atom when it is one, else a quoted string. */
    private static String astring(String name) {
        boolean atom = name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0);
        return atom ? name : '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
