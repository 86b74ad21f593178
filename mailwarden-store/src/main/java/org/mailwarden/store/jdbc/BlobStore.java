package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.StoreException;

/**
 * Where message bodies live. A group commit writes the bodies of a whole batch through one
 * {@link Batch} (stage each, then one {@link Batch#flush()}), then records each body's {@code blob} row
 * inside the batch's database transaction. Implementations: {@link TieredBlobStore} (SQLite: small
 * bodies inside the database, large ones in append-only segment files) and {@link DatabaseBlobStore}
 * (PostgreSQL: chunks in the database).
 */
interface BlobStore extends AutoCloseable {

    /** A body written by a batch but not yet recorded in the database. */
    interface Staged {
        long length();
    }

    /** Bodies written together and made durable with one flush; the writer holds the store until closed. */
    interface Batch extends AutoCloseable {
        Staged stage(MessageContent content) throws IOException;

        /** Makes every staged body that the transaction's commit will not cover durable. */
        void flush() throws IOException;

        @Override
        void close();
    }

    Batch batch();

    /** Inserts the {@code blob} row (and whatever else holds the bytes) in the caller's transaction; returns its id. */
    long record(Connection c, Staged staged) throws SQLException, IOException;

    /** Streams exactly {@code length} octets of a stored body, with bounded memory. */
    default InputStream open(long blobId, long length) {
        return open(blobId, length, 0, length);
    }

    /**
     * Streams {@code count} octets from {@code offset} of a stored body of {@code length} octets (an IMAP
     * BODY[section] slice), reading only that range.
     */
    InputStream open(long blobId, long length, long offset, long count);

    /** A request for the first {@code count} octets of body {@code blobId} of {@code length} octets. */
    record Prefix(long blobId, long length, int count) {
    }

    /**
     * The first octets of many bodies, in the order asked, null for a body that is gone: the header
     * blocks of a whole mailbox for a header SEARCH. The default opens each body; a store that can read
     * them in a few queries instead of one or two per body does.
     */
    default List<byte[]> prefixes(List<Prefix> wanted) throws IOException {
        List<byte[]> out = new ArrayList<>(wanted.size());
        for (Prefix p : wanted) {
            out.add(readPrefix(this, p));
        }
        return out;
    }

    /** One body's prefix through {@link #open}; null when the body is gone. */
    static byte[] readPrefix(BlobStore store, Prefix p) throws IOException {
        try (InputStream in = store.open(p.blobId(), p.length(), 0, Math.min(p.count(), p.length()))) {
            return in.readAllBytes();
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.NOT_FOUND) {
                throw e;
            }
            return null;
        }
    }

    /** Refuses a range that does not lie inside a body of {@code length} octets. */
    static void checkRange(long length, long offset, long count) {
        if (offset < 0 || count < 0 || offset > length || count > length - offset) {
            throw Names.invalid("octets " + offset + " to " + (offset + count) + " are outside a body of " + length);
        }
    }

    @Override
    void close();
}
