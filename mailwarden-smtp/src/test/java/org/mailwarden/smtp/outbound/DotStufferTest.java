package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    private static byte[] stuff(byte[] body, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer d = new DotStuffer(out);
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            if (n == 1) {
                d.write(body[i]);
            } else {
                d.write(body, i, n);
            }
        }
        d.finish();
        return out.toByteArray();
    }

    private static String stuff(String body) throws IOException {
        return new String(stuff(body.getBytes(StandardCharsets.ISO_8859_1), 4096), StandardCharsets.ISO_8859_1);
    }

    @Test
    void leadingDotsAreDoubledAndTheBodyEndsWithTheDotLine() throws IOException {
        assertThat(stuff("Subject: x\r\n\r\n.hidden\r\n..two\r\nend.\r\n")).isEqualTo(
                "Subject: x\r\n\r\n..hidden\r\n...two\r\nend.\r\n.\r\n");
        assertThat(stuff(".")).isEqualTo("..\r\n.\r\n");
        assertThat(stuff("")).isEqualTo(".\r\n");
        assertThat(stuff("no newline")).isEqualTo("no newline\r\n.\r\n");
    }

    @Test
    void bareLineEndsBecomeCrLfSoNoHopSeesAnEndOfDataWeDidNotSend() throws IOException {
        assertThat(stuff("a\n.\nb\r.\r\nc\r")).isEqualTo("a\r\n..\r\nb\r\n..\r\nc\r\n.\r\n");
        assertThat(stuff("x\r\n.\r\ny")).isEqualTo("x\r\n..\r\ny\r\n.\r\n");
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.of((byte) '.', (byte) '\r', (byte) '\n', (byte) 'a', (byte) 0xe9, (byte) ' ')
                .array(byte[].class).ofMaxSize(300);
    }

    /** Whatever the body, the output is well-formed DATA and un-stuffing it gives the body with CRLF line ends. */
    @Property(tries = 500)
    void outputIsWellFormedDataForAnyBodyAndChunking(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 7) int chunk)
            throws IOException {
        String out = new String(stuff(body, chunk), StandardCharsets.ISO_8859_1);
        assertThat(out).endsWith(".\r\n");
        String content = out.substring(0, out.length() - 3);
        assertThat(content.isEmpty() || content.endsWith("\r\n")).isTrue();
        assertThat(content.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        StringBuilder unstuffed = new StringBuilder();
        for (String line : content.split("\r\n", -1)) {
            assertThat(line).isNotEqualTo(".");
            unstuffed.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        String expected = new String(body, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\r", "\n")
                .replace("\n", "\r\n");
        if (!expected.isEmpty() && !expected.endsWith("\r\n")) {
            expected += "\r\n";
        }
        String got = unstuffed.substring(0, Math.max(0, unstuffed.length() - 2));
        assertThat(got).isEqualTo(expected);
    }
}
