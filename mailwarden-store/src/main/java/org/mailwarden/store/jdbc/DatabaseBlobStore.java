package org.mailwarden.store.jdbc;

import java.io.EOFException;
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
import org.mailwarden.store.StoreException;

/**
 * Message bodies inside the database: on PostgreSQL all of them, so every node of a cluster reads the
 * same bytes; on SQLite the small ones (see {@link TieredBlobStore}). One {@code blob} row plus
 * {@code blob_chunk} rows of up to 256 KiB. Writing streams the content chunk by chunk inside the
 * group commit's transaction (whose COMMIT is the one flush); reading fetches one chunk at a time on a
 * short-lived connection, so a slow reader never pins a connection and memory stays at one chunk.
 */
final class DatabaseBlobStore implements BlobStore {

    static final int CHUNK = 256 << 10;

    /** A body to be written by {@link #record}, inside the transaction. */
    private record ContentStaged(MessageContent content) implements Staged {
        @Override
        public long length() {
            return content.size();
        }
    }

    private static final Batch BATCH = new Batch() {
        @Override
        public Staged stage(MessageContent content) {
            return new ContentStaged(content);
        }

        @Override
        public void flush() {
            // The bytes are written by record(), inside the transaction whose commit makes them durable.
        }

        @Override
        public void close() {
        }
    };

    private final Database db;

    DatabaseBlobStore(Database db) {
        this.db = db;
    }

    @Override
    public Batch batch() {
        return BATCH;
    }

    @Override
    public long record(Connection c, Staged staged) throws SQLException, IOException {
        MessageContent content = ((ContentStaged) staged).content();
        long id = Sql.number(c, "INSERT INTO blob (length, segment, seg_offset) VALUES (?, NULL, NULL) RETURNING id",
                content.size());
        long length = 0;
        try (InputStream in = content.open()) {
            // A small body needs no 256 KiB buffer; content longer than announced still fails the check below.
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, content.size()))];
            for (int seq = 0; ; seq++) {
                int n = in.readNBytes(chunk, 0, chunk.length);
                if (n == 0) {
                    break;
                }
                Sql.update(c, "INSERT INTO blob_chunk (blob_id, seq, data) VALUES (?, ?, ?)",
                        id, seq, n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                length += n;
            }
        }
        if (length != content.size()) {
            throw new IOException("message content had " + length + " octets, expected " + content.size());
        }
        return id;
    }

    @Override
    public InputStream open(long blobId, long length, long offset, long count) {
        Head head = head(blobId, length, offset, count);
        return chunks(blobId, offset, count, head.firstChunk());
    }

    /**
     * A stored body's {@code blob} row together with the {@code blob_chunk} row that holds the first octet
     * wanted (null when the body is in a segment, or the chunk is missing), so that opening a body of up
     * to one chunk costs one query: the row check and the bytes come back together.
     */
    record Head(Integer segment, long segmentOffset, long length, byte[] firstChunk) {
    }

    /** Reads a body's {@link Head} with one query; NOT_FOUND when it is gone, INVALID when its length differs. */
    Head head(long blobId, long length, long offset, long count) {
        BlobStore.checkRange(length, offset, count);
        Head head = db.read(c -> Sql.one(c, "SELECT segment, seg_offset, length, "
                + "(SELECT data FROM blob_chunk WHERE blob_id = ? AND seq = ?) FROM blob WHERE id = ?", rs -> {
                    int segment = rs.getInt(1);
                    Integer inSegment = rs.wasNull() ? null : segment;
                    return new Head(inSegment, rs.getLong(2), rs.getLong(3), rs.getBytes(4));
                }, blobId, (int) (offset / CHUNK), blobId))
                .orElseThrow(() -> Names.notFound("message body " + blobId + " does not exist"));
        if (head.length() != length) {
            throw Names.invalid("message body " + blobId + " has " + head.length() + " octets, not " + length);
        }
        return head;
    }

    /**
     * Streams {@code count} octets from {@code offset} of a body kept in {@code blob_chunk} (range already
     * checked), starting with {@code firstChunk} when the caller already read it (see {@link #head}).
     */
    InputStream chunks(long blobId, long offset, long count, byte[] firstChunk) {
        return new ChunkInputStream(blobId, offset, count, firstChunk);
    }

    /** One query per 500 bodies, instead of two per body: each body's length with the start of its first chunk. */
    @Override
    public List<byte[]> prefixes(List<Prefix> wanted) throws IOException {
        Map<Long, Long> lengths = new HashMap<>();
        Map<Long, byte[]> firstChunks = new HashMap<>();
        List<Long> ids = wanted.stream().map(Prefix::blobId).distinct().toList();
        // only the octets asked for leave the database, not whole 256 KiB chunks
        int longest = wanted.stream().mapToInt(Prefix::count).max().orElse(0);
        db.read(c -> {
            for (int from = 0; from < ids.size(); from += Sql.IN_CHUNK) {
                List<Object> params = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + Sql.IN_CHUNK)));
                params.addFirst(longest);
                Sql.list(c, "SELECT b.id, b.length, substr(c.data, 1, ?) FROM blob b LEFT JOIN blob_chunk c "
                        + "ON c.blob_id = b.id AND c.seq = 0 WHERE b.id IN (" + Sql.marks(params.size() - 1) + ")", rs -> {
                            lengths.put(rs.getLong(1), rs.getLong(2));
                            byte[] data = rs.getBytes(3);
                            if (data != null) {
                                firstChunks.put(rs.getLong(1), data);
                            }
                            return null;
                        }, params.toArray());
            }
            return null;
        });
        List<byte[]> out = new ArrayList<>(wanted.size());
        for (Prefix p : wanted) {
            Long length = lengths.get(p.blobId());
            int count = (int) Math.min(p.count(), p.length());
            byte[] first = firstChunks.get(p.blobId());
            if (length == null || length != p.length()) {
                out.add(null);
            } else if (first != null && first.length >= count) {
                out.add(first.length == count ? first : Arrays.copyOf(first, count));
            } else {
                out.add(BlobStore.readPrefix(this, p));
            }
        }
        return out;
    }

    /** Streams a range of a blob chunk by chunk, starting with the chunk that holds its first octet. */
    private final class ChunkInputStream extends InputStream {
        private final long blobId;
        private long remaining;
        private int nextSeq;
        private int skipInFirst;
        private byte[] chunk = new byte[0];
        private byte[] prefetched;
        private int pos;
        private int limit;

        ChunkInputStream(long blobId, long offset, long count, byte[] firstChunk) {
            this.blobId = blobId;
            this.prefetched = firstChunk;
            this.remaining = count;
            this.nextSeq = (int) (offset / CHUNK);
            this.skipInFirst = (int) (offset % CHUNK);
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && fill()) {
                int k = (int) Math.min(n - skipped, limit - pos);
                pos += k;
                skipped += k;
            }
            return skipped;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            if (remaining <= 0) {
                return false;
            }
            int seq = nextSeq;
            try {
                chunk = prefetched != null ? prefetched : db.read(c -> Sql.one(c, "SELECT data FROM blob_chunk WHERE blob_id = ? AND seq = ?",
                        rs -> rs.getBytes(1), blobId, seq)).orElse(null);
            } catch (StoreException e) {
                throw new IOException("cannot read message body " + blobId + ": " + e.getMessage(), e);
            } finally {
                prefetched = null;
            }
            if (chunk == null || chunk.length == 0) {
                chunk = new byte[0];
                throw new EOFException("message body " + blobId + " is truncated at chunk " + seq);
            }
            nextSeq++;
            pos = Math.min(skipInFirst, chunk.length);
            skipInFirst = 0;
            limit = (int) Math.min(chunk.length, pos + remaining);
            remaining -= limit - pos;
            if (pos == limit) {
                throw new EOFException("message body " + blobId + " is shorter than its recorded length");
            }
            return true;
        }
    }

    @Override
    public void close() {
    }
}
