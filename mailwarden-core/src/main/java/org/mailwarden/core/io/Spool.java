package org.mailwarden.core.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A received message held in memory while it is small and in a temporary file once it grows past a
 * threshold, so memory per session stays bounded whatever clients send. Write it through the
 * {@link Writer} from {@link #writer}, then {@link Writer#finish()} yields the readable spool.
 * {@link #close()} deletes the file; so does closing an unfinished writer.
 *
 * <pre>
 * try (Spool.Writer out = Spool.writer(config.tmpDir(), Spool.DEFAULT_MEMORY_THRESHOLD, maxMessageSize)) {
 *     copy data into out;                   // MessageTooLargeException past maxMessageSize
 *     try (Spool message = out.finish()) { store.accept(..., message); }
 * }
 * </pre>
 */
public final class Spool implements MessageContent, Closeable {

    public static final int DEFAULT_MEMORY_THRESHOLD = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    private final byte[] memory;
    private final Path file;
    private final long size;
    private volatile boolean closed;

    private Spool(byte[] memory, Path file, long size) {
        this.memory = memory;
        this.file = file;
        this.size = size;
    }

    /**
     * A writer that keeps up to {@code memoryThreshold} bytes in memory, then moves everything to a new
     * file in {@code dir} (created if needed), and refuses to hold more than {@code maxSize} bytes.
     */
    public static Writer writer(Path dir, int memoryThreshold, long maxSize) {
        if (memoryThreshold < 0 || maxSize < 0) {
            throw new IllegalArgumentException("negative threshold or size");
        }
        return new Writer(dir, memoryThreshold, maxSize);
    }

    /**
     * Deletes spool files left in {@code dir} by a process that crashed; call it at startup, before any
     * session writes a spool there.
     *
     * @return how many files were deleted
     */
    public static int deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "spool-*.eml")) {
            for (Path file : files) {
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public long size() {
        return size;
    }

    /** Whether the content went to a file (it was larger than the memory threshold). */
    public boolean isOnDisk() {
        return file != null;
    }

    @Override
    public InputStream open() throws IOException {
        if (closed) {
            throw new IllegalStateException("spool already closed");
        }
        return file == null ? new ByteArrayInputStream(memory) : new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    /** Deletes the spool file, if any; the content cannot be opened afterwards. */
    @Override
    public void close() {
        closed = true;
        if (file != null) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the caller can do nothing about it; say so where an administrator will see it
            log.warn("cannot delete spool file {}: {}", file, e.toString());
        }
    }

    /**
     * The output stream that fills a spool. After a write would pass the size limit it throws
     * {@link MessageTooLargeException}, and so does every later write: nothing more is kept.
     */
    public static final class Writer extends OutputStream {
        private final Path dir;
        private final int threshold;
        private final long maxSize;
        private byte[] memory = new byte[1024];
        private Path file;
        private OutputStream fileOut;
        private long size;
        private boolean tooLarge;
        private boolean done;

        private Writer(Path dir, int threshold, long maxSize) {
            this.dir = dir;
            this.threshold = threshold;
            this.maxSize = maxSize;
        }

        /** Bytes accepted so far. */
        public long size() {
            return size;
        }

        /** Whether the size limit was exceeded. */
        public boolean isTooLarge() {
            return tooLarge;
        }

        @Override
        public void write(int b) throws IOException {
            if (!tooLarge && fileOut != null && size < maxSize && !done) {
                // the common case for byte-wise copying of a large message, without an array per byte
                fileOut.write(b);
                size++;
                return;
            }
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (done) {
                throw new IllegalStateException("spool writer already finished or closed");
            }
            if (tooLarge || size + len > maxSize) {
                tooLarge = true;
                discardFile();
                throw new MessageTooLargeException(maxSize);
            }
            if (fileOut == null && size + len > threshold) {
                spill();
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                if (size + len > memory.length) {
                    memory = Arrays.copyOf(memory, (int) Math.min(threshold, Math.max(size + len, memory.length * 2L)));
                }
                System.arraycopy(b, off, memory, (int) size, len);
            }
            size += len;
        }

        private void spill() throws IOException {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "spool-", ".eml");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            fileOut.write(memory, 0, (int) size);
            memory = null;
        }

        /** Ends writing; the returned spool owns the file from now on. */
        public Spool finish() throws IOException {
            if (done) {
                throw new IllegalStateException("spool writer already finished or closed");
            }
            if (tooLarge) {
                throw new MessageTooLargeException(maxSize);
            }
            done = true;
            if (fileOut == null) {
                return new Spool(Arrays.copyOf(memory, (int) size), null, size);
            }
            try {
                fileOut.close();
            } catch (IOException e) {
                discardFile();
                throw e;
            }
            fileOut = null;
            Spool spool = new Spool(null, file, size);
            file = null;
            return spool;
        }

        /** Abandons an unfinished spool and deletes its file; does nothing after {@link #finish()}. */
        @Override
        public void close() throws IOException {
            done = true;
            discardFile();
        }

        private void discardFile() throws IOException {
            memory = null;
            try {
                if (fileOut != null) {
                    fileOut.close();
                }
            } catch (IOException e) {
                // The bytes are being thrown away: failing to flush them (a full disk) changes nothing, and
                // must neither keep the file nor end the session that is abandoning it.
                log.debug("discarding spool {}: {}", file, e.toString());
            } finally {
                fileOut = null;
            }
            if (file != null) {
                Path doomed = file;
                file = null;
                Files.deleteIfExists(doomed);
            }
        }
    }
}
