package org.mailwarden.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the JSON codec: what it writes it reads back, and no input makes it fail any other way. */
class JsonPropertiesTest {

    @Property(tries = 300)
    void whatIsWrittenReadsBackEqual(@ForAll("values") Object value) {
        assertThat(Json.parse(Json.write(value).getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
    }

    @Property(tries = 1000)
    void garbageGivesAValueOrAJsonExceptionOnly(@ForAll("garbage") String text) {
        try {
            Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (JsonException e) {
            assertThat(e.getMessage()).startsWith("invalid JSON at character ");
        }
    }

    @Property(tries = 500)
    void randomBytesGiveAValueOrAJsonExceptionOnly(@ForAll byte[] bytes) {
        try {
            Json.parse(bytes);
        } catch (JsonException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20).filter(JsonPropertiesTest::noLoneSurrogate).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) new BigDecimal(l)),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> scalars, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(8).filter(JsonPropertiesTest::noLoneSurrogate), inner)
                        .ofMaxSize(4).map(m -> (Object) m)), 0, 4);
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "d83d", "dc00", "0",
                "-", "1", ".", "e", "true", "nul", " ", "\t", "\u0001", "é", "a");
        return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    }

    private static boolean noLoneSurrogate(String s) {
        return s.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }
}
