package org.mailwarden.store.mime;

import java.util.ArrayList;
import java.util.List;
import org.mailwarden.store.mime.MessageStructure.Address;

/**
 * Splits an RFC 5322 address-list header value (From, To, Cc...) into IMAP ENVELOPE addresses, leniently:
 * display names keep their encoded-words (the client decodes them), quoted strings lose their quotes,
 * comments are dropped, groups become start and end markers, and a mailbox without a domain gets the
 * host {@value #MISSING_HOST} so that it cannot be mistaken for a group marker. Never throws.
 */
public final class AddressParser {

    public static final String MISSING_HOST = ".MISSING-HOST-NAME.";
    private static final int MAX_ADDRESSES = 1000;

    private final String s;
    private int pos;

    private AddressParser(String s) {
        this.s = s;
    }

    public static List<Address> parse(String value) {
        if (value == null) {
            return List.of();
        }
        List<Address> out = new ArrayList<>();
        new AddressParser(value).list(out, false);
        return out;
    }

    /** Parses mailboxes and groups until the end, or until ';' when inside a group. */
    private void list(List<Address> out, boolean inGroup) {
        while (pos < s.length() && out.size() < MAX_ADDRESSES) {
            char c = s.charAt(pos);
            if (c == ',' || Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            if (c == ';') {
                pos++;
                if (inGroup) {
                    return;
                }
                continue;
            }
            int before = pos;
            mailboxOrGroup(out, inGroup);
            if (pos == before) {
                pos++;
            }
        }
    }

    private void mailboxOrGroup(List<Address> out, boolean inGroup) {
        StringBuilder phrase = new StringBuilder();
        StringBuilder spec = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ',' || c == ';') {
                break;
            }
            if (c == ':' && !inGroup) {
                pos++;
                out.add(Address.groupStart(trimToNull(phrase.toString())));
                list(out, true);
                out.add(Address.GROUP_END);
                return;
            }
            if (c == '<') {
                pos++;
                String name = trimToNull(phrase.toString());
                angle(out, name);
                skipToSeparator();
                return;
            }
            if (c == '(') {
                comment();
                continue;
            }
            if (c == '"') {
                String q = quoted();
                phrase.append(q);
                spec.append('"').append(q.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                continue;
            }
            phrase.append(c);
            if (!Character.isWhitespace(c)) {
                spec.append(c);
            }
            pos++;
        }
        String addr = spec.toString();
        if (!addr.isEmpty()) {
            out.add(addrSpec(null, null, addr));
        }
    }

    /** After '<': an optional route ("@a,@b:") and an addr-spec, up to '>'. */
    private void angle(List<Address> out, String name) {
        StringBuilder inside = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != '>') {
            char c = s.charAt(pos);
            if (c == '(') {
                comment();
                continue;
            }
            if (c == '"') {
                inside.append('"').append(quoted().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                continue;
            }
            if (!Character.isWhitespace(c)) {
                inside.append(c);
            }
            pos++;
        }
        if (pos < s.length()) {
            pos++;
        }
        String text = inside.toString();
        String route = null;
        int colon = text.indexOf(':');
        if (text.startsWith("@") && colon > 0) {
            route = text.substring(0, colon);
            text = text.substring(colon + 1);
        }
        if (text.isEmpty()) {
            // "<>": the null path; keep the name so the client still shows something
            out.add(new Address(name, route, null, MISSING_HOST));
            return;
        }
        out.add(addrSpec(name, route, text));
    }

    private static Address addrSpec(String name, String route, String spec) {
        int at = spec.lastIndexOf('@');
        String local = at < 0 ? spec : spec.substring(0, at);
        String domain = at < 0 || at == spec.length() - 1 ? MISSING_HOST : spec.substring(at + 1);
        return new Address(name, route, unquote(local), domain);
    }

    /** A quoted local part loses its quotes and escapes; a dotted one stays as written. */
    private static String unquote(String local) {
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c == '\\' && i + 1 < local.length() - 1) {
                    c = local.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return local;
    }

    /** A quoted string's content without quotes or escapes; an unterminated one runs to the end. */
    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && pos < s.length()) {
                c = s.charAt(pos++);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Skips a comment, which may nest. */
    private void comment() {
        int depth = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
    }

    private void skipToSeparator() {
        while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ';') {
            if (s.charAt(pos) == '(') {
                comment();
            } else {
                pos++;
            }
        }
    }

    /** The text stripped, with every run of ASCII white space inside made one space; null when empty. */
    private static String trimToNull(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!asciiSpace(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            int run = i;
            while (run < t.length() && asciiSpace(t.charAt(run))) {
                run++;
            }
            if (out == null && (c != ' ' || run > i + 1)) {
                out = new StringBuilder(t.length()).append(t, 0, i);
            }
            if (out != null) {
                out.append(' ');
            }
            i = run - 1;
        }
        return out == null ? t : out.toString();
    }

    /** The white space of a regular expression's {@code \s}. */
    private static boolean asciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
