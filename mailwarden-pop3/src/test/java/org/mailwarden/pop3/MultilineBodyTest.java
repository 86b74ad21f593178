package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Dot-stuffing and TOP on the fly: what a client reads back is exactly what the store holds. */
class MultilineBodyTest {

    private static String whole(String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        MultilineBody.whole(new ByteArrayInputStream(bytes), out, bytes.length);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String top(String message, long lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        MultilineBody.top(new ByteArrayInputStream(bytes), out, bytes.length, lines);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stuffsLeadingDotsAndTerminates() throws IOException {
        assertThat(whole("a\r\n.b\r\n.\r\n..\r\nc.d\r\n")).isEqualTo("a\r\n..b\r\n..\r\n...\r\nc.d\r\n.\r\n");
        assertThat(whole(".first\r\n")).isEqualTo("..first\r\n.\r\n");
        assertThat(whole("")).isEqualTo(".\r\n");
        assertThat(whole("no newline")).isEqualTo("no newline\r\n.\r\n");
        assertThat(whole("bare\n.lf\n")).as("a bare LF is a line end for clients, so the dot is stuffed")
                .isEqualTo("bare\n..lf\n.\r\n");
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndNBodyLines() throws IOException {
        String message = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";
        assertThat(top(message, 0)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(top(message, 2)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
        assertThat(top(message, 3)).isEqualTo(whole(message));
        assertThat(top(message, Long.MAX_VALUE)).isEqualTo(whole(message));
        assertThat(top("A: 1\r\nB: 2\r\n", 0)).as("a message without body").isEqualTo("A: 1\r\nB: 2\r\n.\r\n");
        assertThat(top("A: 1\r\n\r\nbody without CRLF", 5)).isEqualTo("A: 1\r\n\r\nbody without CRLF\r\n.\r\n");
        assertThat(top("\r\nbody\r\n", 0)).as("an empty header").isEqualTo("\r\n.\r\n");
    }

    @Test
    void topCountsLinesAcrossBufferBoundaries() throws IOException {
        String header = "X: " + "h".repeat(MultilineBody.BUFFER_SIZE) + "\r\n\r\n";
        String body = ("line\r\n").repeat(30_000);
        String sent = top(header + body, 20_000);
        assertThat(sent).isEqualTo(header + "line\r\n".repeat(20_000) + ".\r\n");
    }

    @Property(tries = 200)
    void aWrongSizeOnlyChangesTheReads(@ForAll("messages") String piece, @ForAll @IntRange(min = 0, max = 200_000) int size)
            throws IOException {
        String message = piece.repeat(30); // longer than the smallest buffer, so dots and line ends fall on its edges
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream retr = new ByteArrayOutputStream();
        MultilineBody.whole(new ByteArrayInputStream(bytes), retr, size);
        ByteArrayOutputStream top = new ByteArrayOutputStream();
        MultilineBody.top(new ByteArrayInputStream(bytes), top, size, 3);
        assertThat(retr.toString(StandardCharsets.ISO_8859_1)).isEqualTo(whole(message));
        assertThat(top.toString(StandardCharsets.ISO_8859_1)).isEqualTo(top(message, 3));
    }

    @Test
    void aReadFailureAfterTheStartIsReported() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 10) {
                    throw new IOException("disk gone");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> MultilineBody.whole(failing, new ByteArrayOutputStream(), 100))
                .isInstanceOf(MultilineBody.ReadFailure.class).hasMessageContaining("disk gone");
    }

    @Property(tries = 300)
    void unstuffingGivesBackTheMessage(@ForAll("messages") String message) throws IOException {
        byte[] raw = whole(message).getBytes(StandardCharsets.ISO_8859_1);
        byte[] back = PopWire.unstuff(raw);
        String expected = message.isEmpty() || message.endsWith("\n") ? message : message + "\r\n";
        assertThat(new String(back, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        // after the status line's CRLF: the terminator comes once, at the end; no body line reads as "."
        String sent = "\r\n" + new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(sent).endsWith("\n.\r\n");
        String body = sent.substring(0, sent.length() - 3);
        assertThat(body).doesNotContain("\n.\r\n", "\n.\n");
    }

    @Property(tries = 200)
    void topIsAPrefixOfRetr(@ForAll("messages") String message, @ForAll @IntRange(max = 20) int lines) throws IOException {
        String all = whole(message);
        String head = top(message, lines);
        String headBody = head.substring(0, head.length() - 3);
        assertThat(all.startsWith(headBody) || (headBody.endsWith("\r\n")
                && all.startsWith(headBody.substring(0, headBody.length() - 2)))).isTrue();
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("\r\n", ".", "..", "\n", "\r", ".\r\n", "\r\n.\r\n", "Subject: x", "\r\n\r\n"),
                Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(12));
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
