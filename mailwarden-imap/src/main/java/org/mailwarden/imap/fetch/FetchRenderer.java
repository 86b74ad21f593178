package org.mailwarden.imap.fetch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mailwarden.imap.parser.ImapDates;
import org.mailwarden.imap.response.ResponseWriter;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.mime.MessageStructure;

/**
 * Writes one {@code * n FETCH (...)} response. Everything that can fail because the message vanished
 * (opening its stored body) is done before the first octet of the response is written, so a concurrent
 * expunge costs that message's response, never the stream's syntax. Bodies are streamed as literals.
 */
public final class FetchRenderer {

    /** How the session wants the data: which flags to show, whether UID and MODSEQ go in every response. */
    public record Options(boolean uid, boolean modSeq) {
    }

    private final SectionReader sections;
    private final ResponseWriter out;

    public FetchRenderer(Mailboxes mailboxes, ResponseWriter out) {
        this.sections = new SectionReader(mailboxes);
        this.out = out;
    }

    /**
     * Writes the response for message {@code seq}.
     *
     * @param structure the message's structure; may be null when the items need none
     * @param flags     the flag list to show (the sorted current flags, space-separated); null without FLAGS
     * @throws org.mailwarden.store.StoreException NOT_FOUND when the message's body is gone (nothing written)
     * @throws SectionReader.UnknownEncodingException for BINARY of a part in an unknown encoding (nothing written)
     */
    public void write(long seq, MessageEntry m, MessageStructure structure, String flags, FetchItems items,
                      Options options) throws IOException, SectionReader.UnknownEncodingException {
        List<Prepared> bodies = new ArrayList<>(items.bodies().size());
        try {
            for (FetchItems.BodyRequest request : items.bodies()) {
                bodies.add(prepare(m, structure, request));
            }
            out.raw("* ").number(seq).raw(" FETCH (");
            Separator sep = new Separator(out);
            Set<FetchItems.Item> wanted = items.items();
            if (options.uid() || wanted.contains(FetchItems.Item.UID)) {
                sep.next().raw("UID ").number(m.uid());
            }
            if (wanted.contains(FetchItems.Item.FLAGS)) {
                sep.next().raw("FLAGS (").raw(flags).raw(")");
            }
            if (wanted.contains(FetchItems.Item.INTERNALDATE)) {
                sep.next().raw("INTERNALDATE \"").raw(ImapDates.format(m.internalDate())).raw("\"");
            }
            if (wanted.contains(FetchItems.Item.RFC822_SIZE)) {
                sep.next().raw("RFC822.SIZE ").number(m.size());
            }
            if (wanted.contains(FetchItems.Item.ENVELOPE)) {
                sep.next().raw("ENVELOPE ");
                StructureWriter.envelope(out, structure.root().envelope());
            }
            if (wanted.contains(FetchItems.Item.BODY)) {
                sep.next().raw("BODY ");
                StructureWriter.body(out, structure.root(), false);
            }
            if (wanted.contains(FetchItems.Item.BODYSTRUCTURE)) {
                sep.next().raw("BODYSTRUCTURE ");
                StructureWriter.body(out, structure.root(), true);
            }
            if (options.modSeq() || wanted.contains(FetchItems.Item.MODSEQ)) {
                sep.next().raw("MODSEQ (").number(m.modSeq()).raw(")");
            }
            for (Prepared p : bodies) {
                sep.next();
                p.write(out);
            }
            out.raw(")").crlf();
        } finally {
            for (Prepared p : bodies) {
                p.close();
            }
        }
    }

    /** A body item ready to be written: its label, and its content opened (or NIL, or a size). */
    private record Prepared(String label, long length, SectionContent.Opened opened, boolean binary, boolean sizeOnly)
            implements AutoCloseable {

        void write(ResponseWriter out) throws IOException {
            out.raw(label).sp();
            if (sizeOnly) {
                out.number(length);
            } else if (opened == null) {
                out.nil();
            } else {
                out.raw(binary ? "~{" : "{").number(length).raw("}").crlf();
                opened.writeTo(new NonClosing(out));
            }
        }

        @Override
        public void close() throws IOException {
            if (opened != null) {
                opened.close();
            }
        }
    }

    private Prepared prepare(MessageEntry m, MessageStructure s, FetchItems.BodyRequest request)
            throws IOException, SectionReader.UnknownEncodingException {
        SectionContent content = switch (request.kind()) {
            case CONTENT -> sections.content(m, s, request.section());
            case BINARY, BINARY_SIZE -> sections.binary(m, s, request.section());
        };
        String label = request.responseLabel();
        if (content == null) {
            return new Prepared(label, 0, null, false, request.kind() == FetchItems.Kind.BINARY_SIZE);
        }
        if (request.kind() == FetchItems.Kind.BINARY_SIZE) {
            return new Prepared(label, content.length(), null, false, true);
        }
        long from = request.origin() < 0 ? 0 : Math.min(request.origin(), content.length());
        long count = request.origin() < 0 ? content.length() : Math.min(request.count(), content.length() - from);
        return new Prepared(label, count, content.open(from, count), request.kind() == FetchItems.Kind.BINARY, false);
    }

    /** Writes a space before every item but the first. */
    private static final class Separator {
        private final ResponseWriter out;
        private boolean first = true;

        Separator(ResponseWriter out) {
            this.out = out;
        }

        ResponseWriter next() throws IOException {
            if (!first) {
                out.sp();
            }
            first = false;
            return out;
        }
    }

    /** The response writer as an OutputStream for literal content. */
    private static final class NonClosing extends java.io.OutputStream {
        private final ResponseWriter out;

        NonClosing(ResponseWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.bytes(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.bytes(b, off, len);
        }
    }
}
