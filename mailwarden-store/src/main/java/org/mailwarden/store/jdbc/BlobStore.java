package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.mailwarden.core.io.MessageContent;

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

    /** Refuses a range that does not lie inside a body of {@code length} octets. */
    static void checkRange(long length, long offset, long count) {
        if (offset < 0 || count < 0 || offset > length || count > length - offset) {
            throw Names.invalid("octets " + offset + " to " + (offset + count) + " are outside a body of " + length);
        }
    }

    @Override
    void close();
}
