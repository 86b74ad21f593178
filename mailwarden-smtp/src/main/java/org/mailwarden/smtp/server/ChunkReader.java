package org.mailwarden.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one BDAT chunk (RFC 3030): exactly the announced number of octets, no dot-stuffing, no end
 * marker. The octets go through the same {@link BodySink} as DATA, which keeps its line state across
 * chunks, so a CRLF split between two chunks is one line ending and every DATA limit applies.
 */
final class ChunkReader {

    private final InputStream in;

    ChunkReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads {@code size} octets into {@code sink}, even after the sink found a problem, so that the
     * next command is read from the right place.
     *
     * @throws EOFException when the connection ends inside the chunk
     */
    void read(long size, BodySink sink) throws IOException {
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a BDAT chunk");
            }
            sink.write(buf, 0, n);
            left -= n;
        }
    }
}
