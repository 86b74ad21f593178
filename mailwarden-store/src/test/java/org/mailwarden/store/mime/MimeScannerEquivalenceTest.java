package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The rewritten scanner gives the same structure as the one it replaces, on generated and random messages. */
class MimeScannerEquivalenceTest {

    private static void same(byte[] message) throws IOException {
        assertThat(MimeScanner.scan(new ByteArrayInputStream(message)))
                .isEqualTo(LegacyMimeScanner.scan(new ByteArrayInputStream(message)));
    }

    @Property(tries = 3000)
    void generatedMessages(@ForAll long seed) throws IOException {
        same(HostileMimeGenerator.message(seed));
    }

    /** A stream that gives at most a few octets per read, so that lines straddle every buffer refill. */
    private static InputStream trickling(byte[] message, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(message)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Property(tries = 500)
    void generatedMessagesReadInSmallPieces(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int chunk)
            throws IOException {
        byte[] message = HostileMimeGenerator.message(seed);
        assertThat(MimeScanner.scan(trickling(message, chunk)))
                .isEqualTo(LegacyMimeScanner.scan(new ByteArrayInputStream(message)));
    }

    /** Lines of every length around the kept start and the buffer size, so that CR and LF fall on each side of a refill. */
    @Test
    void linesAroundTheBufferSize() throws IOException {
        for (int length = 4000; length < 16_500; length++) {
            if (length > 4200 && length < 8100 || length > 8300 && length < 16_300) {
                continue;
            }
            String line = "y".repeat(length);
            same(("Subject: x\r\n\r\n" + line + "\r\nend").getBytes(ISO_8859_1));
            same(("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + line + "\r\n--b\r\n\r\n--b"
                    + line.substring(3900) + "\r\n--b--\r\n").getBytes(ISO_8859_1));
            same(("X: " + line + "\r\n\r\n" + line + "\r").getBytes(ISO_8859_1));
        }
    }

    @Property(tries = 1000)
    void anyOctetsAfterAPrefix(@ForAll @Size(max = 600) byte[] noise, @ForAll("prefix") String prefix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(ISO_8859_1));
        out.writeBytes(noise);
        same(out.toByteArray());
    }

    @Property(tries = 1000)
    void linesOfMimeTokens(@ForAll("tokens") String message) throws IOException {
        same(message.getBytes(ISO_8859_1));
    }

    @Provide
    Arbitrary<String> prefix() {
        return Arbitraries.of("", "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n",
                "Content-Type: message/rfc822\r\n\r\n", "Content-Type: multipart/digest; boundary=\"\"\r\n\r\n",
                "Content-Type: multipart/x; boundary=a\n\n--a\nContent-Type: multipart/y; boundary=a\n\n--a\n");
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.of("Content-Type: multipart/mixed; boundary=a", "Content-Type: multipart/digest; boundary=b",
                "Content-Type: message/rfc822", "--a", "--a--", "--b", "--b-- ", "--a\t", "", " folded", "From: x@y",
                "body", "\r", "Content-Transfer-Encoding: base64", "-", "--")
                .list().ofMaxSize(40)
                .map(lines -> String.join(Arbitraries.of("\r\n", "\n").sample(), lines));
    }
}
