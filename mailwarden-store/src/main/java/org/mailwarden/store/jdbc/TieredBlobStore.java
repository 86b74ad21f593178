package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Where a body is: its segment and offset, or no segment when its bytes are in {@code blob_chunk}. */
    private record Location(Integer segment, long offset, long length) {
    }

    @Override
    public InputStream open(long blobId, long length, long offset, long count) {
        DatabaseBlobStore.Head head = inline.head(blobId, length, offset, count);
        return head.segment() == null
                ? inline.chunks(blobId, offset, count, head.firstChunk())
                : segments.range(head.segment(), head.segmentOffset() + offset, count);
    }

    /**
     * Two queries per 500 bodies instead of two per body: the {@code blob} rows, then the first octets of
     * the inline ones' first chunk (an inline body is one chunk); segment bodies are read from their files.
     */
    @Override
    public List<byte[]> prefixes(List<Prefix> wanted) throws IOException {
        Map<Long, Location> where = new HashMap<>();
        Map<Long, byte[]> firstChunks = new HashMap<>();
        List<Long> ids = wanted.stream().map(Prefix::blobId).distinct().toList();
        // only the octets asked for leave the database, not whole chunks of up to the inline limit
        int longest = wanted.stream().mapToInt(Prefix::count).max().orElse(0);
        db.read(c -> {
            for (int from = 0; from < ids.size(); from += Sql.IN_CHUNK) {
                Object[] chunk = ids.subList(from, Math.min(ids.size(), from + Sql.IN_CHUNK)).toArray();
                for (Object[] row : Sql.list(c, "SELECT id, segment, seg_offset, length FROM blob WHERE id IN ("
                        + Sql.marks(chunk.length) + ")", rs -> {
                            long id = rs.getLong(1);
                            int segment = rs.getInt(2);
                            return new Object[] {id, new Location(rs.wasNull() ? null : segment, rs.getLong(3), rs.getLong(4))};
                        }, chunk)) {
                    where.put((Long) row[0], (Location) row[1]);
                }
                List<Object> inlineIds = new ArrayList<>();
                for (Object id : chunk) {
                    Location l = where.get((Long) id);
                    if (l != null && l.segment() == null) {
                        inlineIds.add(id);
                    }
                }
                if (!inlineIds.isEmpty()) {
                    inlineIds.addFirst(longest);
                    for (Object[] row : Sql.list(c, "SELECT blob_id, substr(data, 1, ?) FROM blob_chunk WHERE seq = 0 "
                            + "AND blob_id IN (" + Sql.marks(inlineIds.size() - 1) + ")",
                            rs -> new Object[] {rs.getLong(1), rs.getBytes(2)}, inlineIds.toArray())) {
                        firstChunks.put((Long) row[0], (byte[]) row[1]);
                    }
                }
            }
            return null;
        });
        List<byte[]> out = new ArrayList<>(wanted.size());
        for (Prefix p : wanted) {
            Location l = where.get(p.blobId());
            int count = (int) Math.min(p.count(), p.length());
            byte[] first = firstChunks.get(p.blobId());
            if (l == null || l.length() != p.length()) {
                out.add(null);
            } else if (l.segment() == null && first != null && first.length >= count) {
                out.add(first.length == count ? first : Arrays.copyOf(first, count));
            } else if (l.segment() != null) {
                try (InputStream in = segments.range(l.segment(), l.offset(), count)) {
                    out.add(in.readAllBytes());
                }
            } else {
                out.add(BlobStore.readPrefix(this, p));
            }
        }
        return out;
    }

    @Override
    public void close() {
        segments.close();
    }
}
