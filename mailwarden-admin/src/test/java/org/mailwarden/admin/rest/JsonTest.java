package org.mailwarden.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict JSON reader and the writer: what they accept, what they refuse, and the messages. */
class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\", \"t\": true, \"f\": false, \"n\": null,"
                + " \"num\": -12.5e2, \"list\": [1, [], {}], \"o\": {\"x\": 0}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c/\né😀");
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("num", new BigDecimal("-12.5e2"));
        expected.put("list", List.of(new BigDecimal("1"), List.of(), Map.of()));
        expected.put("o", Map.of("x", new BigDecimal("0")));
        assertThat(v).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                     | invalid JSON at character 1: unexpected end of input, expected a value",
            "{                      | invalid JSON at character 2: unexpected end of input, expected a field name in double quotes",
            "{'a': 1}               | invalid JSON at character 2: unexpected ''', expected a field name in double quotes",
            "{\"a\" 1}              | invalid JSON at character 6: unexpected '1', expected ':'",
            "{\"a\": 1,}            | invalid JSON at character 9: unexpected '}', expected a field name in double quotes",
            "[1,]                   | invalid JSON at character 4: unexpected ']', expected a value",
            "[1 2]                  | invalid JSON at character 4: unexpected '2', expected ',' or ']'",
            "{\"a\": 1} x           | invalid JSON at character 10: unexpected 'x' after the value",
            "{\"a\": 1, \"a\": 2}   | invalid JSON at character 10: field \"a\" appears twice",
            "01                     | invalid JSON at character 2: a number must not start with 0",
            "1.                     | invalid JSON at character 3: a number needs digits after '.'",
            "1e                     | invalid JSON at character 3: a number needs digits in its exponent",
            "-                      | invalid JSON at character 2: a number needs digits",
            "+1                     | invalid JSON at character 1: unexpected '+', expected a value",
            "tru                    | invalid JSON at character 1: unexpected 't', expected a value",
            "NaN                    | invalid JSON at character 1: unexpected 'N', expected a value",
            "\"a\\x\"               | invalid JSON at character 4: invalid escape \\x inside a string",
            "\"\\u12\"              | invalid JSON at character 6: \\u must be followed by four hex digits",
            "\"\\ud800\"            | invalid JSON at character 8: unpaired surrogate \\uD800 inside a string",
            "\"\\udc00\"            | invalid JSON at character 8: unpaired surrogate \\uDC00 inside a string",
            "\"open                 | invalid JSON at character 6: unexpected end of input inside a string",
            "/* c */ 1              | invalid JSON at character 1: unexpected '/', expected a value",
    })
    void refusesWhatIsNotStrictJson(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class).hasMessage(message);
    }

    @Test
    void refusesControlCharactersInvalidUtf8AndDeepNesting() {
        assertThatThrownBy(() -> Json.parse("\"a\tb\"")).hasMessage(
                "invalid JSON at character 3: control character U+0009 inside a string; escape it");
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xc3, '"'})).hasMessage("the body is not valid UTF-8");
        assertThatThrownBy(() -> Json.parse("\"\ud800\"")).hasMessage("invalid JSON at character 2: unpaired surrogate inside a string");
        assertThat(Json.parse("[".repeat(16) + "]".repeat(16))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("[".repeat(17) + "]".repeat(17)))
                .hasMessage("invalid JSON at character 17: nested deeper than 16 levels");
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.parse("1" + "0".repeat(200))).hasMessage("invalid JSON at character 1: a number longer than 100 characters");
    }

    @Test
    void writesEscapedAndHtmlInert() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "<script>alert(\"x\")</script> & \u2028\u0001\t\ud83d\ude00");
        m.put("lone", "\udc00");
        m.put("list", Arrays.asList(1, 2L, true, null));
        assertThat(Json.write(m)).isEqualTo("{\"text\":\"\\u003cscript\\u003ealert(\\\"x\\\")\\u003c/script\\u003e \\u0026 "
                + "\\u2028\\u0001\\t😀\",\"lone\":\"\\ufffd\",\"list\":[1,2,true,null]}");
        assertThat(Json.parse(Json.write(m).getBytes(StandardCharsets.UTF_8))).isEqualTo(Map.of(
                "text", "<script>alert(\"x\")</script> & \u2028\u0001\t\ud83d\ude00", "lone", "\ufffd",
                "list", Arrays.asList(new BigDecimal(1), new BigDecimal(2), true, null)));
    }

    @Test
    void bodiesAcceptOnlyTheirFieldsAndTypes() {
        byte[] body = "{\"name\": \"x\", \"flag\": true, \"none\": null}".getBytes(StandardCharsets.UTF_8);
        JsonBody b = JsonBody.parse(body, "name", "flag", "none", "absent");
        assertThat(b.string("name")).isEqualTo("x");
        assertThat(b.bool("flag")).isTrue();
        assertThat(b.optionalString("none")).isNull();
        assertThat(b.optionalString("absent")).isNull();
        assertThat(b.has("none")).isTrue();
        assertThat(b.has("absent")).isFalse();
        assertThatThrownBy(() -> b.string("none")).hasMessage("field \"none\" is missing");
        assertThatThrownBy(() -> b.bool("name")).hasMessage("field \"name\" must be true or false");
        assertThatThrownBy(() -> b.string("flag")).hasMessage("field \"flag\" must be a string");
        assertThatThrownBy(() -> JsonBody.parse(body, "name")).hasMessage("unknown field \"flag\"; this request takes name");
        assertThatThrownBy(() -> JsonBody.parse(new byte[0], "name")).hasMessage("this request needs a JSON object body with the fields name");
        assertThatThrownBy(() -> JsonBody.parse("\"x\"".getBytes(StandardCharsets.UTF_8), "name"))
                .hasMessage("the body must be a JSON object with the fields name");
    }
}
