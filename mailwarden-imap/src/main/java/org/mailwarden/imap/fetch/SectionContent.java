package org.mailwarden.imap.fetch;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The octets of one FETCH body section: a slice of the stored message (the usual case, streamed from
 * the store) or content derived from it (selected header fields, decoded BINARY content), whose length is
 * known before it is written so that it can be sent as a literal.
 */
public interface SectionContent {

    long length();

    /**
     * Prepares to send {@code count} octets from {@code from}: whatever can fail because the message is
     * gone (opening the stored body) fails here, before any of the response is written.
     */
    Opened open(long from, long count) throws IOException;

    /** A prepared range, written once. */
    interface Opened extends Closeable {
        void writeTo(OutputStream out) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    /** Content held in memory. */
    static SectionContent of(byte[] bytes) {
        return new SectionContent() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public Opened open(long from, long count) {
                return out -> out.write(bytes, (int) from, (int) count);
            }
        };
    }
}
