package org.mailwarden.store.jdbc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.StoreException;

/**
 * Message bodies inside PostgreSQL, so every node of a cluster reads the same bytes: one {@code blob}
 * row plus {@code blob_chunk} rows of 256 KiB. Writing streams the content chunk by chunk inside the
 * group commit's transaction (whose COMMIT is the one flush); reading fetches one chunk at a time on a
 * short-lived connection, so a slow reader never pins a connection and memory stays at one chunk.
 */
final class DatabaseBlobStore implements BlobStore {

    static final int CHUNK = 256 << 10;

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
            byte[] chunk = new byte[CHUNK];
            for (int seq = 0; ; seq++) {
                int n = in.readNBytes(chunk, 0, CHUNK);
                if (n == 0) {
                    break;
                }
                Sql.update(c, "INSERT INTO blob_chunk (blob_id, seq, data) VALUES (?, ?, ?)",
                        id, seq, n == CHUNK ? chunk : Arrays.copyOf(chunk, n));
                length += n;
            }
        }
        if (length != content.size()) {
            throw new IOException("message content had " + length + " octets, expected " + content.size());
        }
        return id;
    }

    @Override
    public InputStream open(long blobId, long length) {
        long stored = db.read(c -> Sql.one(c, "SELECT length FROM blob WHERE id = ?", rs -> rs.getLong(1), blobId))
                .orElseThrow(() -> Names.notFound("message body " + blobId + " does not exist"));
        if (stored != length) {
            throw Names.invalid("message body " + blobId + " has " + stored + " octets, not " + length);
        }
        return new ChunkInputStream(blobId, length);
    }

    /** Streams a blob chunk by chunk. */
    private final class ChunkInputStream extends InputStream {
        private final long blobId;
        private final long length;
        private long consumed;
        private int nextSeq;
        private byte[] chunk = new byte[0];
        private int pos;

        ChunkInputStream(long blobId, long length) {
            this.blobId = blobId;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            if (pos < chunk.length) {
                return true;
            }
            if (consumed >= length) {
                return false;
            }
            int seq = nextSeq;
            try {
                chunk = db.read(c -> Sql.one(c, "SELECT data FROM blob_chunk WHERE blob_id = ? AND seq = ?",
                        rs -> rs.getBytes(1), blobId, seq)).orElse(null);
            } catch (StoreException e) {
                throw new IOException("cannot read message body " + blobId + ": " + e.getMessage(), e);
            }
            if (chunk == null || chunk.length == 0) {
                chunk = new byte[0];
                throw new EOFException("message body " + blobId + " is truncated at chunk " + seq);
            }
            nextSeq++;
            pos = 0;
            consumed += chunk.length;
            return true;
        }
    }

    @Override
    public void close() {
    }
}
