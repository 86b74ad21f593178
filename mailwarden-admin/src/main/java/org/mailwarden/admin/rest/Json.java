package org.mailwarden.admin.rest;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and a writer, small enough to read in one sitting, for the admin API's
 * request and response bodies. The reader refuses what a lenient parser would guess at: invalid UTF-8,
 * control characters in strings, lone surrogates, duplicate keys, leading zeros, trailing commas, comments,
 * content after the value, and nesting deeper than {@link #MAX_DEPTH}. Objects come back as ordered
 * {@code Map<String, Object>}, arrays as {@code List<Object>}, numbers as {@link BigDecimal}, JSON
 * {@code null} as Java {@code null}. The writer escapes {@code <}, {@code >} and {@code &} too, so its
 * output is inert even if a browser ever sniffs it as HTML.
 */
public final class Json {

    /** How deeply objects and arrays may nest; the API's bodies are flat objects. */
    public static final int MAX_DEPTH = 16;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    // ---- reading

    /** Parses UTF-8 bytes holding exactly one JSON value. */
    public static Object parse(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("the body is not valid UTF-8");
        }
        return parse(text);
    }

    /** Parses text holding exactly one JSON value. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describe() + " after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describe() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("unexpected " + describe() + ", expected a field name in double quotes");
            }
            int keyAt = pos;
            String key = string();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("field " + quoted(key) + " appears twice");
            }
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value(depth));
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describe() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describe() + ", expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unexpected end of input inside a string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character U+" + String.format("%04X", (int) c) + " inside a string; escape it");
            }
            if (c == '\\') {
                escape(b);
            } else if (Character.isSurrogate(c)) {
                // The decoder has already paired surrogates; one that arrives alone came from a String caller.
                if (!Character.isHighSurrogate(c) || pos >= text.length() || !Character.isLowSurrogate(text.charAt(pos))) {
                    pos--;
                    throw error("unpaired surrogate inside a string");
                }
                b.append(c).append(text.charAt(pos++));
            } else {
                b.append(c);
            }
        }
    }

    private void escape(StringBuilder b) {
        if (pos >= text.length()) {
            throw error("unexpected end of input inside a string");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"', '\\', '/' -> b.append(e);
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 't' -> b.append('\t');
            case 'u' -> {
                char u = hex4();
                if (Character.isHighSurrogate(u)) {
                    if (!text.startsWith("\\u", pos)) {
                        throw error("unpaired surrogate \\u" + String.format("%04X", (int) u) + " inside a string");
                    }
                    pos += 2;
                    char low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        throw error("unpaired surrogate \\u" + String.format("%04X", (int) u) + " inside a string");
                    }
                    b.append(u).append(low);
                } else if (Character.isLowSurrogate(u)) {
                    throw error("unpaired surrogate \\u" + String.format("%04X", (int) u) + " inside a string");
                } else {
                    b.append(u);
                }
            }
            default -> {
                pos--;
                throw error("invalid escape \\" + printable(e) + " inside a string");
            }
        }
    }

    private char hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= text.length()) {
                throw error("unexpected end of input inside a \\u escape");
            }
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0 || text.charAt(pos) > 'f') {
                throw error("\\u must be followed by four hex digits");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("a number must not start with 0");
            }
        } else if (!digits()) {
            throw error("a number needs digits");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("a number needs digits after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("a number needs digits in its exponent");
            }
        }
        String n = text.substring(start, pos);
        if (n.length() > 100) {
            pos = start;
            throw error("a number longer than 100 characters");
        }
        try {
            return new BigDecimal(n);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number out of range");
        }
    }

    private boolean digits() {
        int start = pos;
        while (isDigit(peek())) {
            pos++;
        }
        return pos > start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe() + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describe() + ", expected '" + c + "'");
        }
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describe() {
        return pos >= text.length() ? "end of input" : "'" + printable(text.charAt(pos)) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c);
    }

    private JsonException error(String what) {
        return new JsonException("invalid JSON at character " + (pos + 1) + ": " + what);
    }

    private static String quoted(String key) {
        return write(key.length() > 40 ? key.substring(0, 40) + "..." : key);
    }

    // ---- writing

    /**
     * Writes a value: {@code Map} (keys as strings), {@code Collection}, {@code String}, {@code Boolean},
     * {@code Number} or {@code null}.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object value) {
        switch (value) {
            case null -> b.append("null");
            case String s -> writeString(b, s);
            case Boolean bool -> b.append(bool);
            case Integer i -> b.append(i);
            case Long l -> b.append(l);
            case BigDecimal d -> b.append(d.toString());
            case Map<?, ?> map -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    writeString(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case Collection<?> list -> {
                b.append('[');
                boolean first = true;
                for (Object o : list) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o);
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if (loneSurrogate) {
                        b.append("\\ufffd");
                    } else if (Character.isHighSurrogate(c)) {
                        b.append(c).append(s.charAt(++i));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
