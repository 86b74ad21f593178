package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.mailwarden.core.io.MessageContent;

/**
 * The message bodies too large to live inline in SQLite (see {@link TieredBlobStore}), in append-only
 * segment files ({@code seg-000001.dat}, ...) beside the database. A batch appends its bodies to the
 * current segment and forces the file once, so N messages cost one flush instead of N. The segment
 * rolls over when it would grow past {@code segmentSize}. Writers in other processes (the CLI beside a
 * running server) are excluded by an OS file lock on {@code .lock}, writers in this JVM by a lock per
 * directory, and each writer appends at the file's current end.
 * Bytes appended by a batch whose database commit then failed (or crashed) stay unreferenced; reclaiming
 * them needs segment compaction, which is not implemented yet.
 */
final class SegmentBlobStore implements AutoCloseable {

    static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    private static final int COPY_BUFFER = 64 << 10;
    private static final Map<Path, ReentrantLock> JVM_WRITERS = new ConcurrentHashMap<>();

    /** A body appended to a segment, not yet recorded in the {@code blob} table. */
    record SegmentStaged(int segment, long offset, long length) implements BlobStore.Staged {
    }

    private final Path dir;
    private final long segmentSize;
    private final ReentrantLock jvmWriter;
    private final FileChannel lockFile;
    private final Map<Integer, FileChannel> readers = new ConcurrentHashMap<>();
    private int current;
    private FileChannel writer;
    private int writerSegment;

    SegmentBlobStore(Path dir, long segmentSize) {
        this.segmentSize = segmentSize;
        try {
            this.dir = Files.createDirectories(dir).toRealPath();
            this.lockFile = FileChannel.open(this.dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw Database.translate(e);
        }
        this.jvmWriter = JVM_WRITERS.computeIfAbsent(this.dir, d -> new ReentrantLock());
        this.current = 1;
    }

    private Path segmentPath(int segment) {
        return dir.resolve(String.format("seg-%06d.dat", segment));
    }

    /** Takes this writer's turn at the segments: the returned batch holds the locks until it is closed. */
    BlobStore.Batch batch() {
        jvmWriter.lock();
        FileLock osLock = null;
        try {
            osLock = lockFile.lock();
            return new SegmentBatch(osLock);
        } catch (IOException e) {
            releaseQuietly(osLock, e);
            jvmWriter.unlock();
            throw Database.translate(e);
        }
    }

    private static void releaseQuietly(FileLock lock, IOException cause) {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** One writer's turn at the segments; holds both locks until closed. */
    private final class SegmentBatch implements BlobStore.Batch {
        private final FileLock osLock;
        private final Set<FileChannel> written = new LinkedHashSet<>();
        private boolean newFile;

        SegmentBatch(FileLock osLock) throws IOException {
            this.osLock = osLock;
            // Another process may have rolled over to a newer segment since our last turn.
            while (Files.exists(segmentPath(current + 1))) {
                current++;
            }
            if (writer == null || writerSegment != current) {
                openWriter();
            }
        }

        private void openWriter() throws IOException {
            if (writer != null) {
                // A roll-over in the middle of a batch: the bodies already staged in the old segment must
                // reach the disk before its channel closes, since flush() can no longer force it.
                if (written.remove(writer)) {
                    writer.force(false);
                }
                writer.close();
            }
            Path path = segmentPath(current);
            newFile |= !Files.exists(path);
            writer = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            writerSegment = current;
        }

        @Override
        public SegmentStaged stage(MessageContent content) throws IOException {
            long start = writer.size();
            if (start > 0 && start + content.size() > segmentSize) {
                current++;
                openWriter();
                start = 0;
            }
            written.add(writer);
            long length = 0;
            try (InputStream in = content.open()) {
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        writer.write(chunk, start + length + (n - chunk.remaining()));
                    }
                    length += n;
                }
                if (length != content.size()) {
                    throw new IOException("message content had " + length + " octets, expected " + content.size());
                }
            } catch (IOException | RuntimeException e) {
                // Keep the segment tidy; bytes past the end would be harmless but useless.
                try {
                    writer.truncate(start);
                } catch (IOException truncateFailed) {
                    e.addSuppressed(truncateFailed);
                }
                throw e;
            }
            return new SegmentStaged(current, start, length);
        }

        @Override
        public void flush() throws IOException {
            for (FileChannel channel : written) {
                channel.force(false);
            }
            if (newFile) {
                // A new segment's directory entry must be durable too, or a crash could lose the whole file.
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
                newFile = false;
            }
            written.clear();
        }

        @Override
        public void close() {
            try {
                osLock.release();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                jvmWriter.unlock();
            }
        }
    }

    /** Inserts the {@code blob} row of a body staged by a batch of this store; returns its id. */
    long record(Connection c, SegmentStaged staged) throws SQLException {
        return Sql.number(c, "INSERT INTO blob (length, segment, seg_offset) VALUES (?, ?, ?) RETURNING id",
                staged.length(), staged.segment(), staged.offset());
    }

    /** Streams {@code count} octets of {@code segment} from {@code offset}. */
    InputStream range(int segment, long offset, long count) {
        return new ChannelRangeInputStream(() -> reader(segment), offset, count);
    }

    /**
     * The shared read channel of a segment. A reader thread interrupted mid-read closes the channel for
     * everyone (FileChannel is interruptible), so a closed channel is replaced on the next request.
     */
    private FileChannel reader(int segment) throws IOException {
        FileChannel channel = readers.get(segment);
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        FileChannel fresh = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
        synchronized (readers) {
            FileChannel now = readers.get(segment);
            if (now != null && now.isOpen()) {
                fresh.close();
                return now;
            }
            readers.put(segment, fresh);
            return fresh;
        }
    }

    @Override
    public void close() {
        try {
            for (FileChannel c : readers.values()) {
                c.close();
            }
            if (writer != null) {
                writer.close();
            }
            lockFile.close();
        } catch (IOException e) {
            throw Database.translate(e);
        }
    }
}
