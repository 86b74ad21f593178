package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the DATA reader over random bodies made of the characters that matter (dots, CR, LF):
 * it stops exactly after the first real {@code <CRLF>.<CRLF>}, never earlier; it refuses every body with
 * a bare CR or LF; and a body with clean lines comes back exactly as it was before dot-stuffing.
 */
class DataReaderPropertiesTest {

    private static final BodyLimits LIMITS = new BodyLimits(1_000_000, 100_000, 1000);

    @Property(tries = 2000)
    void stopsExactlyAtTheRealEndOfData(@ForAll("bodies") String body) throws IOException {
        String wire = body + "\r\n.\r\nNOOP\r\n";
        Assume.that(!("\r\n" + wire).substring(0, 2 + body.length() + 2).contains("\r\n.\r\n"));
        DataReaderTest.Read r = DataReaderTest.read(wire, LIMITS);
        assertThat(r.rest()).isEqualTo("NOOP\r\n");
        boolean bare = (body + "\r\n").replace("\r\n", "").chars().anyMatch(c -> c == '\r' || c == '\n');
        if (bare) {
            assertThat(r.problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
        } else {
            assertThat(r.problem()).isNull();
            assertThat(r.stored()).isEqualTo(unstuff(body + "\r\n"));
        }
    }

    @Property(tries = 1000)
    void cleanContentSurvivesDotStuffing(@ForAll("cleanLines") String content) throws IOException {
        DataReaderTest.Read r = DataReaderTest.read(stuff(content) + ".\r\n", LIMITS);
        assertThat(r.problem()).isNull();
        assertThat(r.stored()).isEqualTo(content);
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.strings().withChars('a', '.', '\r', '\n').ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> cleanLines() {
        return Arbitraries.strings().withChars('a', '.', ' ').ofMaxLength(6).list().ofMaxSize(8)
                .map(lines -> String.join("", lines.stream().map(l -> l + "\r\n").toList()));
    }

    /** What a client sends: a dot added to every line that starts with one. */
    private static String stuff(String content) {
        return ("\n" + content).replace("\n.", "\n..").substring(1);
    }

    /** What the server stores: the first dot of every line removed (lines start after CRLF only). */
    private static String unstuff(String wire) {
        String s = ("\r\n" + wire).replace("\r\n.", "\r\n");
        return s.substring(2);
    }
}
