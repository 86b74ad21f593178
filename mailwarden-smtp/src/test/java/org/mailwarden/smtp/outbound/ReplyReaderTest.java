package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

    /** Hands out one byte per read, as a server that writes a reply in odd pieces would. */
    private static InputStream trickle(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }

    @Test
    void multiLineRepliesSplitOddlyAreReadWhole() throws IOException {
        ReplyReader r = new ReplyReader(trickle("250-mx.remote.test hello\r\n250-PIPELINING\r\n250-SIZE 1000\n250 8BITMIME\r\n"
                + "550 5.1.1 <x@remote.test>: no such user\r\n"));
        ServerReply ehlo = r.read();
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines()).containsExactly("mx.remote.test hello", "PIPELINING", "SIZE 1000", "8BITMIME");
        Extensions ext = Extensions.parse(ehlo.lines());
        assertThat(ext.pipelining()).isTrue();
        assertThat(ext.size()).hasValue(1000);
        assertThat(ext.eightBitMime()).isTrue();
        assertThat(ext.startTls()).isFalse();
        ServerReply fail = r.read();
        assertThat(fail.permanentFailure()).isTrue();
        assertThat(fail.oneLine()).isEqualTo("550 5.1.1 <x@remote.test>: no such user");
    }

    @Test
    void garbageAndBrokenRepliesAreProtocolErrors() {
        for (String bad : List.of("hello there\r\n", "25\r\n", "250-first\r\n251 second\r\n", "999 what\r\n",
                "250-never ends\r\n", "", "099 low\r\n", "250xno space\r\n")) {
            assertThatThrownBy(() -> new ReplyReader(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))).read())
                    .as(bad).isInstanceOf(SmtpProtocolException.class);
        }
    }

    @Test
    void anEndlessReplyIsCutOff() {
        String flood = "250-x\r\n".repeat(ReplyReader.MAX_LINES + 5) + "250 end\r\n";
        assertThatThrownBy(() -> new ReplyReader(new ByteArrayInputStream(flood.getBytes(StandardCharsets.UTF_8))).read())
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("more than");
        String longLine = "250 " + "x".repeat(100_000) + "\r\n221 bye\r\n";
        assertThat(assertRead(longLine).oneLine()).hasSizeLessThanOrEqualTo(500);
    }

    private static ServerReply assertRead(String s) {
        try {
            return new ReplyReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8))).read();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars("0123456789- \r\nab\u00e9").ofMaxLength(200);
    }

    /** Any input yields a reply or a protocol error, never another exception and never a hang. */
    @Property(tries = 1000)
    void anyInputGivesAReplyOrAProtocolError(@ForAll("junk") String input) {
        ReplyReader r = new ReplyReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            for (int i = 0; i < 50; i++) {
                ServerReply reply = r.read();
                assertThat(reply.code()).isBetween(200, 599);
                assertThat(reply.oneLine()).doesNotContain("\r").doesNotContain("\n");
            }
        } catch (SmtpProtocolException expected) {
            // garbage, or the end of the input
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
