package org.mailwarden.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(String text, int max) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(US_ASCII)), max);
    }

    private static Line line(String text, Line.Ending ending, boolean bareCr) {
        return new Line(text.getBytes(US_ASCII), ending, bareCr);
    }

    @Test
    void crlfLines() throws Exception {
        LineReader r = reader("EHLO client.test\r\n\r\nQUIT\r\n", 100);
        assertThat(r.readLine()).isEqualTo(line("EHLO client.test", Line.Ending.CRLF, false));
        assertThat(r.readLine()).isEqualTo(line("", Line.Ending.CRLF, false));
        Line quit = r.readLine();
        assertThat(quit.isClean()).isTrue();
        assertThat(quit.ascii()).isEqualTo("QUIT");
        assertThat(r.readLine()).isEqualTo(line("", Line.Ending.EOF, false));
        assertThat(r.readLine().isEof()).isTrue();
    }

    @Test
    void bareLfIsReportedAsSuch() throws Exception {
        LineReader r = reader("DATA\n.\nQUIT\r\n", 100);
        assertThat(r.readLine()).isEqualTo(line("DATA", Line.Ending.LF, false));
        assertThat(r.readLine()).isEqualTo(line(".", Line.Ending.LF, false));
        assertThat(r.readLine()).isEqualTo(line("QUIT", Line.Ending.CRLF, false));
    }

    @Test
    void bareCrStaysInTheLineAndIsFlagged() throws Exception {
        LineReader r = reader("a\rb\r\n\r.\r\r\n", 100);
        Line first = r.readLine();
        assertThat(first).isEqualTo(line("a\rb", Line.Ending.CRLF, true));
        assertThat(first.isClean()).isFalse();
        assertThat(r.readLine()).isEqualTo(line("\r.\r", Line.Ending.CRLF, true));
    }

    @Test
    void crAtTheEndOfTheStream() throws Exception {
        assertThat(reader("abc\r", 100).readLine()).isEqualTo(line("abc\r", Line.Ending.EOF, true));
    }

    @Test
    void unterminatedTailIsEof() throws Exception {
        LineReader r = reader("NOOP\r\nQUIT", 100);
        r.readLine();
        assertThat(r.readLine()).isEqualTo(line("QUIT", Line.Ending.EOF, false));
    }

    @Test
    void aLineOfExactlyTheLimitIsFine() throws Exception {
        assertThat(reader("12345\r\n", 5).readLine()).isEqualTo(line("12345", Line.Ending.CRLF, false));
        assertThat(reader("12345\n", 5).readLine()).isEqualTo(line("12345", Line.Ending.LF, false));
    }

    @Test
    void tooLongThenResynchronise() throws Exception {
        LineReader r = reader("123456789\r\nNOOP\r\n", 5);
        assertThat(r.readLine()).isEqualTo(line("12345", Line.Ending.TOO_LONG, false));
        assertThat(r.skipRestOfLine()).isTrue();
        assertThat(r.readLine()).isEqualTo(line("NOOP", Line.Ending.CRLF, false));
    }

    @Test
    void tooLongLineCanBeReadOnInPieces() throws Exception {
        LineReader r = reader("123456789\r\n", 4);
        assertThat(r.readLine()).isEqualTo(line("1234", Line.Ending.TOO_LONG, false));
        assertThat(r.readLine()).isEqualTo(line("5678", Line.Ending.TOO_LONG, false));
        assertThat(r.readLine()).isEqualTo(line("9", Line.Ending.CRLF, false));
    }

    @Test
    void bareCrJustPastTheLimitMakesTheLineTooLong() throws Exception {
        LineReader r = reader("12345\rX\r\n", 5);
        assertThat(r.readLine()).isEqualTo(line("12345", Line.Ending.TOO_LONG, false));
        assertThat(r.readLine()).isEqualTo(line("\rX", Line.Ending.CRLF, true));
        assertThat(reader("12345\r", 5).readLine()).isEqualTo(line("12345", Line.Ending.TOO_LONG, false));
    }

    @Test
    void skippingIsBounded() throws Exception {
        LineReader r = reader("x".repeat(200_000) + "\r\nNOOP\r\n", 10);
        assertThat(r.readLine().ending()).isEqualTo(Line.Ending.TOO_LONG);
        assertThat(r.skipRestOfLine()).isFalse();
        assertThat(reader("xxxxxxxxxxxx", 10).skipRestOfLine()).isFalse();
    }

    @Test
    void crlfSplitAcrossReads() throws Exception {
        String text = "y".repeat(LineReader.BUFFER_SIZE - 1) + "\r\nnext\r\n";
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(US_ASCII)), 10_000);
        assertThat(r.readLine()).isEqualTo(line("y".repeat(LineReader.BUFFER_SIZE - 1), Line.Ending.CRLF, false));
        assertThat(r.readLine()).isEqualTo(line("next", Line.Ending.CRLF, false));
    }

    @Test
    void oneByteAtATime() throws Exception {
        byte[] bytes = "A\r\nB\rC\nD\r\n".getBytes(US_ASCII);
        InputStream trickle = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i == bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
        LineReader r = new LineReader(trickle, 100);
        assertThat(r.readLine()).isEqualTo(line("A", Line.Ending.CRLF, false));
        assertThat(r.readLine()).isEqualTo(line("B\rC", Line.Ending.LF, true));
        assertThat(r.readLine()).isEqualTo(line("D", Line.Ending.CRLF, false));
    }

    @Test
    void readExactlyStreamsRawBytesThenLinesContinue() throws Exception {
        String literal = "z".repeat(20_000);
        LineReader r = reader("A1 APPEND INBOX {20000}\r\n" + literal + "\r\nA2 NOOP\r\n", 100);
        assertThat(r.readLine().ascii()).isEqualTo("A1 APPEND INBOX {20000}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.readExactly(20_000, out);
        assertThat(out.toString(US_ASCII)).isEqualTo(literal);
        assertThat(r.readLine()).isEqualTo(line("", Line.Ending.CRLF, false));
        assertThat(r.readLine().ascii()).isEqualTo("A2 NOOP");
    }

    @Test
    void readExactlyFailsAtEndOfStream() {
        LineReader r = reader("abc", 100);
        assertThatThrownBy(() -> r.readExactly(10, OutputStream.nullOutputStream()))
                .isInstanceOf(EOFException.class).hasMessageContaining("7 bytes before the end of a 10-byte block");
    }

    @Test
    void bufferedShowsPipelinedInput() throws Exception {
        LineReader r = reader("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\n", 100);
        assertThat(r.buffered()).isZero();
        r.readLine();
        assertThat(r.buffered()).isEqualTo("RCPT TO:<c@d.test>\r\n".length());
        assertThat(r.available()).isEqualTo(r.buffered());
        r.readLine();
        assertThat(r.buffered()).isZero();
    }

    @Test
    void socketTimeoutBecomesIdleTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.setSoTimeout(50);
            LineReader r = new LineReader(accepted.getInputStream(), 100);
            client.getOutputStream().write("partial".getBytes(US_ASCII));
            assertThatThrownBy(r::readLine).isInstanceOf(IdleTimeoutException.class);
            assertThatThrownBy(() -> r.readExactly(5, OutputStream.nullOutputStream()))
                    .isInstanceOf(IdleTimeoutException.class);
        }
    }

    /** Sends {@code text} one byte per read, {@code pauseMillis} apart, after {@code firstMillis} of silence. */
    private static InputStream trickle(String text, long firstMillis, long pauseMillis) {
        byte[] bytes = text.getBytes(US_ASCII);
        return new InputStream() {
            private int next;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next == bytes.length) {
                    return -1;
                }
                try {
                    Thread.sleep(next == 0 ? firstMillis : pauseMillis);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                b[off] = bytes[next++];
                return 1;
            }
        };
    }

    @Test
    void aLineTrickledPastTheDeadlineEndsAsATimeout() {
        LineReader r = new LineReader(trickle("NOOP " + "x".repeat(100) + "\r\n", 0, 20), 4096);
        r.setLineDeadline(java.time.Duration.ofMillis(200));
        assertThatThrownBy(r::readLine).isInstanceOf(IdleTimeoutException.class).hasMessageContaining("line deadline");
    }

    @Test
    void theDeadlineCountsFromTheFirstByteOfTheLineNotFromTheWaitBeforeIt() throws Exception {
        // 300 ms of silence (an IMAP IDLE, a client thinking), then the line in one piece
        InputStream in = new java.io.SequenceInputStream(trickle("D", 300, 0),
                new ByteArrayInputStream("ONE\r\n".getBytes(US_ASCII)));
        LineReader r = new LineReader(in, 4096);
        r.setLineDeadline(java.time.Duration.ofMillis(100));
        assertThat(r.readLine()).isEqualTo(line("DONE", Line.Ending.CRLF, false));
    }

    @Test
    void withoutADeadlineATrickledLineIsReadToItsEnd() throws Exception {
        LineReader r = new LineReader(trickle("NOOP\r\n", 0, 5), 4096);
        assertThat(r.readLine()).isEqualTo(line("NOOP", Line.Ending.CRLF, false));
    }
}
