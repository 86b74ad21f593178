package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.net.LineReader;

class DataReaderTest {

    private static final BodyLimits LIMITS = new BodyLimits(10_000, 998, 50);

    /** The result of reading one DATA body followed by whatever the client pipelined after it. */
    record Read(String stored, BodyProblem problem, String rest) {
    }

    static Read read(String wire, BodyLimits limits) throws IOException {
        LineReader in = reader(wire);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        BodySink sink = new BodySink(stored, limits);
        new DataReader(in).read(sink);
        return new Read(stored.toString(StandardCharsets.ISO_8859_1), sink.finish(), rest(in));
    }

    static LineReader reader(String wire) {
        return new LineReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), 4096);
    }

    static String rest(LineReader in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.readExactly(in.available(), out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static Read read(String wire) throws IOException {
        return read(wire, LIMITS);
    }

    @Test
    void endsAtCrLfDotCrLfAndKeepsPipelinedCommands() throws IOException {
        Read r = read("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        assertThat(r.stored()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(r.problem()).isNull();
        assertThat(r.rest()).isEqualTo("QUIT\r\n");
    }

    @Test
    void emptyBody() throws IOException {
        assertThat(read(".\r\n").stored()).isEmpty();
    }

    @Test
    void unstuffsLeadingDots() throws IOException {
        Read r = read("..\r\n...x\r\na.b\r\n.\r\n");
        assertThat(r.stored()).isEqualTo(".\r\n..x\r\na.b\r\n");
        assertThat(r.problem()).isNull();
    }

    @Test
    void bareLfDotBareLfDoesNotEndDataAndRefusesTheMessage() throws IOException {
        Read r = read("a\r\n\n.\nMAIL FROM:<evil@x.test>\r\n.\r\nNOOP\r\n");
        assertThat(r.problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
        assertThat(r.rest()).isEqualTo("NOOP\r\n");
    }

    @Test
    void bareCrDotBareCrDoesNotEndData() throws IOException {
        Read r = read("a\r.\rRCPT TO:<x@y.test>\r\n.\r\nNOOP\r\n");
        assertThat(r.problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
        assertThat(r.rest()).isEqualTo("NOOP\r\n");
    }

    @Test
    void lfDotCrLfAndCrLfDotLfDoNotEndData() throws IOException {
        Read r = read("a\n.\r\nb\r\n.\nc\r\n.\r\nNOOP\r\n");
        assertThat(r.problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
        assertThat(r.rest()).isEqualTo("NOOP\r\n");
    }

    @Test
    void dotCrFollowedByOtherTextIsContent() throws IOException {
        Read r = read(".\rx\r\n.\r\n");
        assertThat(r.problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
        assertThat(r.rest()).isEmpty();
    }

    @Test
    void bareLfInsideALineIsRefused() throws IOException {
        assertThat(read("Subject: a\nb\r\n\r\nx\r\n.\r\n").problem()).isEqualTo(BodyProblem.BARE_NEWLINE);
    }

    @Test
    void sizeIsEnforcedWhileReadingAndTheRestIsConsumed() throws IOException {
        String big = ("x".repeat(98) + "\r\n").repeat(200); // 20,000 octets
        Read r = read(big + ".\r\nQUIT\r\n");
        assertThat(r.problem()).isEqualTo(BodyProblem.TOO_BIG);
        assertThat(r.stored().length()).isLessThanOrEqualTo(10_000);
        assertThat(r.rest()).isEqualTo("QUIT\r\n");
    }

    @Test
    void exactlyTheLimitIsAccepted() throws IOException {
        String body = ("x".repeat(98) + "\r\n").repeat(100); // 10,000 octets
        Read r = read(body + ".\r\n");
        assertThat(r.problem()).isNull();
        assertThat(r.stored()).hasSize(10_000);
    }

    @Test
    void overlongLinesAreRefused() throws IOException {
        assertThat(read("x".repeat(998) + "\r\n.\r\n").problem()).isNull();
        assertThat(read("x".repeat(999) + "\r\n.\r\n").problem()).isEqualTo(BodyProblem.LINE_TOO_LONG);
    }

    @Test
    void aLoopingMessageIsRefusedOverFiftyReceivedHeaders() throws IOException {
        String fifty = "Received: from a by b; Thu, 1 Jan 2026 00:00:00 +0000\r\n".repeat(50);
        assertThat(read(fifty + "\r\nbody\r\n.\r\n").problem()).isNull();
        assertThat(read(fifty + "rEcEiVeD: x\r\n\r\nbody\r\n.\r\n").problem()).isEqualTo(BodyProblem.TOO_MANY_HOPS);
    }

    @Test
    void receivedLinesInTheBodyAreNoHops() throws IOException {
        String many = "Received: quoted in the body\r\n".repeat(60);
        assertThat(read("Subject: x\r\n\r\n" + many + ".\r\n").problem()).isNull();
    }

    @Test
    void foldedReceivedHeadersCountOnce() throws IOException {
        String folded = "Received: from a\r\n\tby b\r\n Received: not a new header\r\n";
        assertThat(read(folded.repeat(50) + "\r\n.\r\n").problem()).isNull();
    }

    @Test
    void connectionLostBeforeTheMarker() {
        assertThatThrownBy(() -> read("a\r\nb\r\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("a\r\n.\r")).isInstanceOf(EOFException.class);
    }

    @Test
    void piecesOfAnOverlongLineAreNeverTheMarkerNorUnstuffed() throws IOException {
        String wire = "x".repeat(4096) + ".\r\n" + "y".repeat(4096) + "..\r\n.\r\nNOOP\r\n";
        Read r = read(wire, new BodyLimits(100_000, 100_000, 50));
        assertThat(r.problem()).isNull();
        assertThat(r.stored()).isEqualTo("x".repeat(4096) + ".\r\n" + "y".repeat(4096) + "..\r\n");
        assertThat(r.rest()).isEqualTo("NOOP\r\n");
    }

    @Test
    void largeBodyStreamsThrough() throws IOException {
        String line = "y".repeat(76) + "\r\n";
        String body = line.repeat(100_000); // 7.8 MB
        Read r = read(body + ".\r\n", new BodyLimits(10_000_000, 998, 50));
        assertThat(r.problem()).isNull();
        assertThat(r.stored()).hasSize(body.length());
    }
}
