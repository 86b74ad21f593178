package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * The scanner reads a message through a fixed buffer and finds line ends several octets at a time: a line
 * that straddles a refill, a line longer than the buffer, or a CR and its LF on either side of a refill
 * must give exactly the structure they give anywhere else.
 */
class MimeScannerBufferingTest {

    /** A stream that gives at most {@code chunk} octets per read, so that lines straddle every refill. */
    private static InputStream trickling(byte[] message, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(message)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static MessageStructure scan(byte[] message) throws IOException {
        return MimeScanner.scan(new ByteArrayInputStream(message));
    }

    @Property(tries = 500)
    void readingInSmallPiecesGivesTheSameStructure(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int chunk)
            throws IOException {
        byte[] message = HostileMimeGenerator.message(seed);
        assertThat(MimeScanner.scan(trickling(message, chunk))).isEqualTo(scan(message));
    }

    private static String body(byte[] message, Part part) {
        return new String(Arrays.copyOfRange(message, (int) part.bodyOffset(), (int) (part.bodyOffset() + part.bodySize())),
                ISO_8859_1);
    }

    /** Lines of every length around the kept start and the buffer size, so that CR and LF fall on each side of a refill. */
    @Test
    void linesAroundTheBufferSizeKeepTheirExactRanges() throws IOException {
        for (int length = 4000; length < 16_500; length++) {
            if (length > 4200 && length < 8100 || length > 8300 && length < 16_300) {
                continue;
            }
            String line = "y".repeat(length);
            byte[] multipart = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + line + "\r\n--b\r\n\r\n"
                    + line + "\n--b--\r\n").getBytes(ISO_8859_1);
            Part root = scan(multipart).root();
            assertThat(root.parts()).as("parts with a %d-octet line", length).hasSize(2);
            for (Part part : root.parts()) {
                assertThat(body(multipart, part)).as("body of %d octets", length).isEqualTo(line);
                assertThat(part.bodyLines()).isEqualTo(1);
            }
            byte[] longHeader = ("Subject: " + line + "\r\n\r\n" + line + "\r").getBytes(ISO_8859_1);
            Part message = scan(longHeader).root();
            assertThat(message.bodyOffset()).isEqualTo(9 + length + 2 + 2);
            assertThat(body(longHeader, message)).isEqualTo(line + "\r");
            assertThat(message.bodyLines()).isEqualTo(1);
        }
    }
}
