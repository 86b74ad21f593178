package org.mailwarden.imap.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Finds the octets a body section names in a stored message (RFC 9051 section 6.4.5): part numbers
 * descend into multiparts and through message/rfc822 parts into the encapsulated message; HEADER, TEXT
 * and HEADER.FIELDS apply to the message or to an encapsulated one; MIME is a part's own header. The
 * result is a slice of the stored body, or derived content (header fields, BINARY decoding) computed
 * from a streamed slice with bounded memory.
 */
public final class SectionReader {

    /** Header blocks up to this size are filtered in memory; larger ones in two streaming passes. */
    private static final int IN_MEMORY_HEADER = 64 * 1024;

    /** A BINARY section with a transfer encoding the server cannot decode (RFC 3516 UNKNOWN-CTE). */
    public static final class UnknownEncodingException extends Exception {
        public UnknownEncodingException(String encoding) {
            super("unknown Content-Transfer-Encoding " + encoding, null, false, false);
        }
    }

    private final Mailboxes mailboxes;

    public SectionReader(Mailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    /** The part a path names, or null when there is no such part. */
    public static Part part(MessageStructure s, List<Integer> path) {
        Part node = s.root();
        for (int i = 0; i < path.size(); i++) {
            int n = path.get(i);
            Part container;
            if (i == 0) {
                container = node;
            } else if (node.isMessage()) {
                container = node.message();
            } else if (node.isMultipart()) {
                container = node;
            } else {
                return null;
            }
            if (container.isMultipart()) {
                if (n > container.parts().size()) {
                    return null;
                }
                node = container.parts().get(n - 1);
            } else if (n == 1) {
                node = container;
            } else {
                return null;
            }
        }
        return node;
    }

    /** The content of {@code section}, or null when the message has no such section. */
    public SectionContent content(MessageEntry m, MessageStructure s, BodySection section) throws IOException {
        if (section.path().isEmpty() && section.text() == BodySection.Text.NONE) {
            return slice(m, 0, m.size());
        }
        Part part = part(s, section.path());
        if (part == null) {
            return null;
        }
        Part message = section.path().isEmpty() ? s.root() : part.isMessage() ? part.message() : null;
        return switch (section.text()) {
            case NONE -> slice(m, part.bodyOffset(), part.bodySize());
            case MIME -> slice(m, part.headerOffset(), part.headerSize());
            case HEADER -> message == null ? null : slice(m, message.headerOffset(), message.headerSize());
            case TEXT -> message == null ? null : slice(m, message.bodyOffset(), message.bodySize());
            case HEADER_FIELDS, HEADER_FIELDS_NOT -> message == null ? null
                    : fields(m, message, new HeaderFilter(section.fields(), section.text() == BodySection.Text.HEADER_FIELDS_NOT));
        };
    }

    /** The decoded content of a leaf part for BINARY, or null when there is no such part. */
    public SectionContent binary(MessageEntry m, MessageStructure s, BodySection section)
            throws IOException, UnknownEncodingException {
        Part part = section.path().isEmpty() ? s.root() : part(s, section.path());
        if (part == null || part.isMultipart() || part.isMessage()) {
            return null;
        }
        String encoding = part.encoding() == null ? "7bit" : part.encoding().strip().toLowerCase(Locale.ROOT);
        if (List.of("7bit", "8bit", "binary").contains(encoding)) {
            return slice(m, part.bodyOffset(), part.bodySize());
        }
        if (!encoding.equals("base64") && !encoding.equals("quoted-printable")) {
            throw new UnknownEncodingException(part.encoding());
        }
        Derivation decode = out -> {
            try (InputStream raw = mailboxes.openBody(m, part.bodyOffset(), part.bodySize());
                 InputStream decoded = encoding.equals("base64")
                         ? new Base64InputStream(raw, DecodeMonitor.SILENT)
                         : new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT)) {
                decoded.transferTo(out);
            }
        };
        return derived(decode);
    }

    private SectionContent slice(MessageEntry m, long offset, long length) {
        return new SectionContent() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public Opened open(long from, long count) {
                InputStream in = mailboxes.openBody(m, offset + from, count);
                return new Opened() {
                    @Override
                    public void writeTo(OutputStream out) throws IOException {
                        copy(in, out, count);
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }
        };
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new java.io.EOFException("stored message ended " + left + " octets early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private SectionContent fields(MessageEntry m, Part message, HeaderFilter filter) throws IOException {
        Derivation d = out -> {
            try (InputStream in = mailboxes.openBody(m, message.headerOffset(), message.headerSize())) {
                filter.copy(new java.io.BufferedInputStream(in), out);
            }
        };
        if (message.headerSize() <= IN_MEMORY_HEADER) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            d.writeTo(out);
            return SectionContent.of(out.toByteArray());
        }
        return derived(d);
    }

    /** Content produced by a streaming computation. */
    @FunctionalInterface
    private interface Derivation {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Runs the computation once to count its octets, and again for each range written. */
    private static SectionContent derived(Derivation d) throws IOException {
        Range counter = new Range(OutputStream.nullOutputStream(), 0, Long.MAX_VALUE);
        d.writeTo(counter);
        long length = counter.position;
        return new SectionContent() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public Opened open(long from, long count) {
                return out -> {
                    Range range = new Range(out, from, count);
                    d.writeTo(range);
                    if (range.written != count) {
                        throw new IOException("derived content changed length");
                    }
                };
            }
        };
    }

    /** Passes on only the octets in [from, from + count) of what is written to it. */
    private static final class Range extends OutputStream {
        private final OutputStream out;
        private final long from;
        private final long end;
        long position;
        long written;

        Range(OutputStream out, long from, long count) {
            this.out = out;
            this.from = from;
            this.end = count == Long.MAX_VALUE ? Long.MAX_VALUE : from + count;
        }

        @Override
        public void write(int b) throws IOException {
            if (position >= from && position < end) {
                out.write(b);
                written++;
            }
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long start = Math.max(position, from);
            long stop = Math.min(position + len, end);
            if (start < stop) {
                out.write(b, off + (int) (start - position), (int) (stop - start));
                written += stop - start;
            }
            position += len;
        }
    }
}
