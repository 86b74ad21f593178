package org.mailwarden.store.jdbc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Reads {@code length} octets of a file from {@code offset} with positional reads, so any number of
 * streams can share one channel, and memory stays at one small buffer per stream.
 */
final class ChannelRangeInputStream extends InputStream {

    /** Supplies the shared channel, reopened when another reader's interrupt closed it. */
    @FunctionalInterface
    interface ChannelSource {
        FileChannel get() throws IOException;
    }

    private static final int BUFFER = 64 << 10;

    private final ChannelSource channels;
    private final long end;
    private long position;
    private final ByteBuffer buffer;

    ChannelRangeInputStream(ChannelSource channels, long offset, long length) {
        this.channels = channels;
        this.position = offset;
        this.end = offset + length;
        this.buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
        buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        if (position >= end) {
            return false;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        int n;
        try {
            n = channels.get().read(buffer, position);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (ClosedChannelException e) {
            // Closed by another reader's interrupt between get() and read(): retry once on a fresh channel.
            n = channels.get().read(buffer, position);
        }
        if (n < 0) {
            throw new EOFException("message body is truncated at offset " + position);
        }
        position += n;
        buffer.flip();
        return true;
    }
}
