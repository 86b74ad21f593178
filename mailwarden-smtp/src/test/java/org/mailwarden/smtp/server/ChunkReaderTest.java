package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {

    private static InputStream wire(String s) {
        return new BufferedInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsExactlyTheAnnouncedOctetsWithoutUnstuffing() throws IOException {
        InputStream in = wire("..a\r\n.\r\nBDAT 3 LAST\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodySink sink = new BodySink(out, BodyLimits.DEFAULT);
        new ChunkReader(in).read(8, sink);
        assertThat(sink.finish()).isNull();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("..a\r\n.\r\n");
        assertThat(rest(in)).isEqualTo("BDAT 3 LAST\r\n");
    }

    @Test
    void aCrLfSplitAcrossChunksIsOneLineEnding() throws IOException {
        InputStream in = wire("line\r\nnext\r\n");
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        ChunkReader reader = new ChunkReader(in);
        reader.read(5, sink);
        reader.read(7, sink);
        assertThat(sink.finish()).isNull();
    }

    @Test
    void aBodyEndingInABareCrIsRefused() throws IOException {
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        new ChunkReader(wire("line\r")).read(5, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.BARE_NEWLINE);
    }

    @Test
    void bareLfInAChunkIsRefused() throws IOException {
        BodySink sink = new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT);
        new ChunkReader(wire("a\nb\r\n")).read(5, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.BARE_NEWLINE);
    }

    @Test
    void sizeLimitHoldsAcrossChunksAndTheChunkIsStillConsumed() throws IOException {
        InputStream in = wire("x".repeat(50) + "y".repeat(60) + "NOOP\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodySink sink = new BodySink(out, new BodyLimits(100, 998, 50));
        ChunkReader reader = new ChunkReader(in);
        reader.read(50, sink);
        reader.read(60, sink);
        assertThat(sink.finish()).isEqualTo(BodyProblem.TOO_BIG);
        assertThat(out.size()).isLessThanOrEqualTo(100);
        assertThat(rest(in)).isEqualTo("NOOP\r\n");
    }

    @Test
    void connectionLostInsideAChunk() {
        assertThatThrownBy(() -> new ChunkReader(wire("abc")).read(10, new BodySink(new ByteArrayOutputStream(), BodyLimits.DEFAULT)))
                .isInstanceOf(EOFException.class);
    }
}
