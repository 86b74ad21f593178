package org.mailwarden.store.mime;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fields of one header block, unfolded, in order, as {@code name: value} pairs with the value as
 * written (leading and trailing white space removed, encoded-words kept). Raw 8-bit values are read
 * as UTF-8 when they are valid UTF-8 and as ISO-8859-1 otherwise, so no octet is silently lost.
 */
public final class LegacyHeaderFields {

    /** One field. */
    public record Field(String name, String value) {
    }

    private final List<Field> fields = new ArrayList<>();

    /** Adds the field whose raw, possibly folded bytes (without the final line break) are given. */
    void addRaw(byte[] raw, int length) {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (raw[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return;
        }
        String name = new String(raw, 0, colon, StandardCharsets.ISO_8859_1).strip();
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            return;
        }
        byte[] value = new byte[length - colon - 1];
        int n = 0;
        for (int i = colon + 1; i < length; i++) {
            byte b = raw[i];
            if (b != '\r' && b != '\n') {
                value[n++] = b;
            }
        }
        fields.add(new Field(name, text(value, n).strip()));
    }

    /** Decodes header octets: UTF-8 when valid, else ISO-8859-1. */
    public static String text(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    public List<Field> all() {
        return List.copyOf(fields);
    }

    /** The first value of the field {@code name} (case-insensitive), or null. */
    public String first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** Every value of the field {@code name}, in order. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        for (Field f : fields) {
            if (f.name().toLowerCase(Locale.ROOT).equals(lower)) {
                out.add(f.value());
            }
        }
        return out;
    }
}
