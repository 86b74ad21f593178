package org.mailwarden.admin.rest;

import java.util.List;
import java.util.Map;

/**
 * A request body read strictly: one JSON object holding only the fields the endpoint names, each of the
 * type it expects. Anything else (an array, an unknown field, a number where a string belongs) is a
 * {@link JsonException} naming the field, so a typo in a client never passes silently.
 */
public final class JsonBody {

    private final Map<String, Object> fields;

    private JsonBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Parses {@code body}, which must be a JSON object whose fields are all among {@code allowed}. */
    public static JsonBody parse(byte[] body, String... allowed) {
        if (body.length == 0) {
            throw new JsonException("this request needs a JSON object body with the fields " + String.join(", ", allowed));
        }
        if (!(Json.parse(body) instanceof Map<?, ?> map)) {
            throw new JsonException("the body must be a JSON object with the fields " + String.join(", ", allowed));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        List<String> known = List.of(allowed);
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw new JsonException("unknown field " + Json.write(cut(name)) + "; this request takes "
                        + String.join(", ", allowed));
            }
        }
        return new JsonBody(fields);
    }

    /** A string field that must be present. */
    public String string(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw new JsonException("field \"" + name + "\" is missing");
        }
        return value;
    }

    /** A string field that may be absent or {@code null}; returns null then. */
    public String optionalString(String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof String)) {
            throw new JsonException("field \"" + name + "\" must be a string");
        }
        return (String) value;
    }

    /** Whether a field is present, even as {@code null}. */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** A boolean field that must be present. */
    public boolean bool(String name) {
        if (!(fields.get(name) instanceof Boolean b)) {
            throw new JsonException("field \"" + name + "\" must be true or false");
        }
        return b;
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
