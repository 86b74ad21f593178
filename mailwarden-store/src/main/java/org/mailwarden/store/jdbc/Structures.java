package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.mime.MimeScanner;
import org.mailwarden.store.mime.StructureCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parse once at delivery: computes a body's MIME structure in the storing caller's thread (so the group
 * commit thread only writes a row) and keeps it in {@code blob_structure}, keyed by the body it
 * describes. A body whose structure could not be computed is stored anyway; its structure is computed
 * on first use instead.
 */
final class Structures {

    private static final Logger LOG = LoggerFactory.getLogger(Structures.class);

    private Structures() {
    }

    /** The encoded structure of {@code content}, or null when it cannot be read. */
    static byte[] compute(MessageContent content) {
        try (InputStream in = content.open()) {
            return StructureCodec.encode(MimeScanner.scan(in));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot compute the MIME structure of a {}-octet message now, will on first use: {}",
                    content.size(), e.toString());
            return null;
        }
    }

    /** Records (or replaces) the structure of a body inside the caller's transaction. */
    static void save(Connection c, long blobId, byte[] data) throws SQLException {
        if (data != null) {
            Sql.update(c, "INSERT INTO blob_structure (blob_id, data) VALUES (?, ?) "
                    + "ON CONFLICT (blob_id) DO UPDATE SET data = excluded.data", blobId, data);
        }
    }
}
