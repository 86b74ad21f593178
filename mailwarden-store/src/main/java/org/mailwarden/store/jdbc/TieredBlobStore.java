package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.mailwarden.core.io.MessageContent;

/**
 * The embedded store's bodies: up to {@code inlineLimit} octets inside SQLite ({@link DatabaseBlobStore},
 * written in the group commit's transaction), larger ones in segment files ({@link SegmentBlobStore}).
 * An accepted message then costs one stable-storage flush instead of two: the WAL fsync of the commit
 * covers the body and its rows together, where a segment body needs its own fsync before the commit
 * (the commit may only reference bytes already on disk). The limit is where that second flush stops
 * mattering: the bytes of a large body dominate, and keeping it out of the WAL avoids writing it twice
 * (WAL, then checkpoint into the database file). A batch takes the segment locks only when it holds a
 * large body. Reading looks at the {@code blob} row, with the first chunk in the same query
 * ({@link DatabaseBlobStore#head}): a body without a segment is in {@code blob_chunk}.
 */
final class TieredBlobStore implements BlobStore {

    /**
     * Chosen by measurement (docs/ARCHITECTURE.md, "Storage"): one writer stores 100 KiB bodies about
     * twice as fast inline as in a segment, 200 KiB bodies about as fast either way. Below one chunk, so
     * an inline body is one {@code blob_chunk} row.
     */
    static final long DEFAULT_INLINE_LIMIT = 128 << 10;

    private final Database db;
    private final DatabaseBlobStore inline;
    private final SegmentBlobStore segments;
    private final long inlineLimit;

    TieredBlobStore(Database db, SegmentBlobStore segments, long inlineLimit) {
        this.db = db;
        this.inline = new DatabaseBlobStore(db);
        this.segments = segments;
        this.inlineLimit = inlineLimit;
    }

    @Override
    public Batch batch() {
        return new TieredBatch();
    }

    /** Stages small bodies for the transaction and appends large ones to a segment batch opened on demand. */
    private final class TieredBatch implements Batch {
        private final Batch inlineBatch = inline.batch();
        private Batch segmentBatch;

        @Override
        public Staged stage(MessageContent content) throws IOException {
            if (content.size() <= inlineLimit) {
                return inlineBatch.stage(content);
            }
            if (segmentBatch == null) {
                segmentBatch = segments.batch();
            }
            return segmentBatch.stage(content);
        }

        @Override
        public void flush() throws IOException {
            // Inline bodies become durable with the commit; only segment bytes need a flush of their own.
            if (segmentBatch != null) {
                segmentBatch.flush();
            }
        }

        @Override
        public void close() {
            if (segmentBatch != null) {
                segmentBatch.close();
            }
        }
    }

    @Override
    public long record(Connection c, Staged staged) throws SQLException, IOException {
        return staged instanceof SegmentBlobStore.SegmentStaged s ? segments.record(c, s) : inline.record(c, staged);
    }

    @Override
    public InputStream open(long blobId, long length, long offset, long count) {
        DatabaseBlobStore.Head head = inline.head(blobId, length, offset, count);
        return head.segment() == null
                ? inline.chunks(blobId, offset, count, head.firstChunk())
                : segments.range(head.segment(), head.segmentOffset() + offset, count);
    }

    @Override
    public void close() {
        segments.close();
    }
}
