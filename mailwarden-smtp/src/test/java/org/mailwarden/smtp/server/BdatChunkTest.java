package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.net.LineReader;

/** BDAT chunks (RFC 3030) stream from the line reader into a {@link BodySink} with the same limits as DATA. */
class BdatChunkTest {

    @Test
    void readsExactlyTheAnnouncedOctetsWithoutUnstuffing() throws IOException {
        LineReader in = DataReaderTest.reader("..a\r\n.\r\nBDAT 3 LAST\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodySink sink = new BodySink(out, BodyLimits.DEFAULT);
        in.readExactly(8, sink);
        assertThat(sink.finish()).isNull();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("..a\r\n.\r\n");
        assertThat(DataReaderTest.rest(in)).isEqualTo("BDAT 3 LAST\r\n");
    }

    @Test
    void aCrLfSplitAcrossChunksIsOneLineEnding() throws IOException {
        LineReader in = DataReaderTest.reader("line\r\nnext\r\n");
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        in.readExactly(5, sink);
        in.readExactly(7, sink);
        assertThat(sink.finish()).isNull();
    }

    @Test
    void aBodyEndingInABareCrIsRefused() throws IOException {
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        DataReaderTest.reader("line\r").readExactly(5, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.BARE_NEWLINE);
    }

    @Test
    void bareLfInAChunkIsRefused() throws IOException {
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        DataReaderTest.reader("a\nb\r\n").readExactly(5, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.BARE_NEWLINE);
    }

    @Test
    void sizeLimitHoldsAcrossChunksAndTheChunkIsStillConsumed() throws IOException {
        LineReader in = DataReaderTest.reader("x".repeat(50) + "y".repeat(60) + "NOOP\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodySink sink = new BodySink(out, new BodyLimits(100, 998, 50));
        in.readExactly(50, sink);
        in.readExactly(60, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.TOO_BIG);
        assertThat(out.size()).isLessThanOrEqualTo(100);
        assertThat(DataReaderTest.rest(in)).isEqualTo("NOOP\r\n");
    }

    @Test
    void connectionLostInsideAChunk() {
        assertThatThrownBy(() -> DataReaderTest.reader("abc").readExactly(10,
                new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT))).isInstanceOf(EOFException.class);
    }
}
