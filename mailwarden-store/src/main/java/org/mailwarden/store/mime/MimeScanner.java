package org.mailwarden.store.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.mailwarden.store.mime.MessageStructure.Address;
import org.mailwarden.store.mime.MessageStructure.Envelope;
import org.mailwarden.store.mime.MessageStructure.Param;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Computes a {@link MessageStructure} in one streaming pass over a message, with bounded memory whatever
 * its size: lines go through a fixed buffer and only header blocks (up to a limit) and the start of each
 * line (enough to recognise a boundary) are kept. It runs on every delivered and appended message, so the
 * per-octet work is one LF search eight octets at a time, lines are examined in place in the buffer, and
 * only the header fields the structure records are decoded. The scanner finds the exact byte range of every part
 * (RFC 2046: the line break before a boundary belongs to the boundary), counts body lines, and parses
 * Content-Type and Content-Disposition with Apache Mime4j's field parser. Malformed MIME never fails:
 * missing or unterminated boundaries, headers without a blank line and absurd nesting all give a usable
 * structure, the way Dovecot copes with them.
 */
public final class MimeScanner {

    static final int MAX_DEPTH = 40;
    static final int MAX_PARTS = 5000;
    static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int KEPT_LINE = 4096;
    private static final List<String> IDENTITY_ENCODINGS = List.of("7bit", "8bit", "binary");

    private final Lines lines;
    /** The boundaries of the enclosing multiparts, innermost last. */
    private final List<byte[]> boundaries = new ArrayList<>();
    private int partCount;

    private MimeScanner(InputStream in) {
        this.lines = new Lines(in);
    }

    /** Scans a whole message; never fails on malformed content. */
    public static MessageStructure scan(InputStream in) throws IOException {
        return new MessageStructure(new MimeScanner(in).entity(0, false, 0, true));
    }

    /**
     * Scans one entity (header and body) starting at {@code start}, up to a boundary line of an enclosing
     * multipart (left unread) or the end of the input.
     */
    private Part entity(long start, boolean digestChild, int depth, boolean isMessage) throws IOException {
        partCount++;
        HeaderCollector header = new HeaderCollector();
        long bodyOffset = start;
        while (lines.next()) {
            if (boundaryKind() != 0) {
                // a header cut short by the next boundary: the part has no body, and the line break before
                // the boundary line belongs to the boundary (RFC 2046), so the empty body starts before it
                lines.unread();
                bodyOffset = Math.max(start, lines.start - lines.previousTerminator);
                break;
            }
            header.line(lines);
            bodyOffset = lines.end();
            if (lines.length == 0) {
                break;
            }
        }
        if (lines.length == 0 && lines.next()) {
            boolean boundaryNext = boundaryKind() != 0;
            lines.unread();
            if (boundaryNext) {
                // the blank line that ended the header is also the line break before the boundary, which
                // belongs to the boundary (RFC 2046): the empty body starts there, inside this part
                bodyOffset = Math.max(start, lines.start - lines.previousTerminator);
            }
        }
        HeaderFields fields = header.fields();
        ContentType ct = ContentType.of(fields.first(HeaderFields.CONTENT_TYPE), digestChild);
        String encoding = fields.first(HeaderFields.CONTENT_TRANSFER_ENCODING);
        boolean identity = encoding == null || IDENTITY_ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT));
        boolean canNest = depth < MAX_DEPTH && partCount < MAX_PARTS;

        long firstBodyLine = lines.consumed;
        List<Part> children = new ArrayList<>();
        if (ct.isMultipart() && ct.boundary() != null && canNest) {
            multipart(ct, depth, children);
        } else if (ct.isEncapsulated() && identity && canNest) {
            children.add(entity(bodyOffset, false, depth + 1, true));
        } else {
            while (lines.next()) {
                if (boundaryKind() != 0) {
                    lines.unread();
                    break;
                }
            }
        }
        long bodyEnd = bodyEnd(bodyOffset);
        long bodyLines = linesBetween(firstBodyLine, bodyEnd);
        if (ct.isMultipart() && children.isEmpty()) {
            // BODYSTRUCTURE cannot express a multipart without parts: an empty text part stands in
            children.add(new Part(bodyEnd, bodyEnd, 0, 0, "text", "plain", List.of(new Param("charset", "us-ascii")),
                    null, null, null, null, null, List.of(), List.of(), null, null, List.of()));
        }
        Disposition disposition = Disposition.of(fields.first(HeaderFields.CONTENT_DISPOSITION));
        return new Part(start, bodyOffset, bodyEnd - bodyOffset, bodyLines, ct.type(), ct.subtype(),
                ct.params(), fields.first(HeaderFields.CONTENT_ID), fields.first(HeaderFields.CONTENT_DESCRIPTION),
                encoding, fields.first(HeaderFields.CONTENT_MD5), disposition == null ? null : disposition.type(),
                disposition == null ? List.of() : disposition.params(),
                languages(fields.first(HeaderFields.CONTENT_LANGUAGE)), fields.first(HeaderFields.CONTENT_LOCATION),
                isMessage ? envelope(fields) : null, children);
    }

    /**
     * Where the body that just ended stops: before the line break that precedes the boundary line left
     * unread, or at the end of the input.
     */
    private long bodyEnd(long bodyOffset) {
        if (lines.pushedBack) {
            return Math.max(bodyOffset, lines.start - lines.previousTerminator);
        }
        return lines.offset();
    }

    /** The lines from line number {@code first} up to the body end, not counting a line that starts at the end. */
    private long linesBetween(long first, long bodyEnd) {
        long count = lines.consumed - first;
        if (count > 0 && lines.pushedBack && lines.previousStart >= bodyEnd) {
            count--;
        }
        return Math.max(0, count);
    }

    /** The body of a multipart: preamble, the parts between its delimiter lines, epilogue. */
    private void multipart(ContentType ct, int depth, List<Part> children) throws IOException {
        byte[] own = ct.boundary().getBytes(StandardCharsets.ISO_8859_1);
        boolean digest = ct.subtype().equalsIgnoreCase("digest");
        boundaries.add(own);
        boolean closed = false;
        try {
            while (lines.next()) {
                int kind = boundaryKind();
                if (kind == 0) {
                    continue;
                }
                if (kind(own) == 0) {
                    // an enclosing multipart's boundary: this one ends without its close delimiter
                    lines.unread();
                    dropPartPastTheEnd(children);
                    return;
                }
                if (closed || partCount >= MAX_PARTS) {
                    continue;
                }
                if (kind == 2) {
                    closed = true;
                    continue;
                }
                children.add(entity(lines.end(), digest, depth + 1, false));
            }
        } finally {
            boundaries.removeLast();
        }
    }

    /**
     * After a delimiter line whose line break is also the one before an enclosing boundary (that line break
     * belongs to the enclosing delimiter, RFC 2046), the part the delimiter opened would start past the end
     * of this body: there is no such part. Found by fuzzing (tests/README.md).
     */
    private void dropPartPastTheEnd(List<Part> children) {
        long end = lines.start - lines.previousTerminator;
        if (!children.isEmpty() && children.getLast().headerOffset() > end) {
            children.removeLast();
        }
    }

    /** 0: the current line is no boundary of the enclosing multiparts; 1: a delimiter; 2: a close delimiter. */
    private int boundaryKind() {
        if (lines.length < 3 || lines.kept[lines.keptFrom] != '-' || lines.kept[lines.keptFrom + 1] != '-') {
            return 0;
        }
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            int kind = kind(boundaries.get(i));
            if (kind != 0) {
                return kind;
            }
        }
        return 0;
    }

    /** Whether the current line is {@code --boundary} or {@code --boundary--}, with only white space after. */
    private int kind(byte[] boundary) {
        int n = boundary.length;
        byte[] kept = lines.kept;
        int from = lines.keptFrom;
        int end = from + lines.keptLength;
        if (lines.length > lines.keptLength || lines.keptLength < 2 + n
                || !Arrays.equals(kept, from + 2, from + 2 + n, boundary, 0, n)) {
            return 0;
        }
        int i = from + 2 + n;
        int kind = 1;
        if (i + 1 < end && kept[i] == '-' && kept[i + 1] == '-') {
            kind = 2;
            i += 2;
        }
        for (; i < end; i++) {
            if (kept[i] != ' ' && kept[i] != '\t') {
                return 0;
            }
        }
        return kind;
    }

    private static Envelope envelope(HeaderFields f) {
        List<Address> from = AddressParser.parse(f.first(HeaderFields.FROM));
        List<Address> sender = AddressParser.parse(f.first(HeaderFields.SENDER));
        List<Address> replyTo = AddressParser.parse(f.first(HeaderFields.REPLY_TO));
        // RFC 9051: the server defaults sender and reply-to to from
        return new Envelope(f.first(HeaderFields.DATE), f.first(HeaderFields.SUBJECT), from,
                sender.isEmpty() ? from : sender, replyTo.isEmpty() ? from : replyTo,
                AddressParser.parse(f.first(HeaderFields.TO)), AddressParser.parse(f.first(HeaderFields.CC)),
                AddressParser.parse(f.first(HeaderFields.BCC)), f.first(HeaderFields.IN_REPLY_TO),
                f.first(HeaderFields.MESSAGE_ID));
    }

    private static List<String> languages(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** A Content-Type with the RFC 2045 defaults. */
    private record ContentType(String type, String subtype, List<Param> params) {

        static ContentType of(String value, boolean digestChild) {
            ContentType fallback = digestChild
                    ? new ContentType("message", "rfc822", List.of())
                    : new ContentType("text", "plain", List.of(new Param("charset", "us-ascii")));
            if (value == null) {
                return fallback;
            }
            RawBody body = parse(value);
            String media = body.getValue() == null ? "" : body.getValue().strip();
            int slash = media.indexOf('/');
            if (slash <= 0 || slash == media.length() - 1 || !token(media.substring(0, slash).strip())
                    || !token(media.substring(slash + 1).strip())) {
                return fallback;
            }
            ContentType ct = new ContentType(media.substring(0, slash).strip(), media.substring(slash + 1).strip(),
                    paramsOf(body));
            // a multipart without a boundary cannot be split: its body is shown as plain text
            return ct.isMultipart() && ct.boundary() == null
                    ? new ContentType("text", "plain", List.of(new Param("charset", "us-ascii"))) : ct;
        }

        boolean isMultipart() {
            return type.equalsIgnoreCase("multipart");
        }

        boolean isEncapsulated() {
            return type.equalsIgnoreCase("message")
                    && (subtype.equalsIgnoreCase("rfc822") || subtype.equalsIgnoreCase("global"));
        }

        String boundary() {
            for (Param p : params) {
                if (p.name().equalsIgnoreCase("boundary") && !p.value().isEmpty() && p.value().length() <= 200) {
                    return p.value();
                }
            }
            return null;
        }
    }

    /** A Content-Disposition type and its parameters. */
    private record Disposition(String type, List<Param> params) {
        static Disposition of(String value) {
            if (value == null) {
                return null;
            }
            RawBody body = parse(value);
            String type = body.getValue() == null ? "" : body.getValue().strip();
            return type.isEmpty() ? null : new Disposition(type, paramsOf(body));
        }
    }

    private static RawBody parse(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ByteSequence bytes = new ByteArrayBuffer(utf8, utf8.length, true);
        return RawFieldParser.DEFAULT.parseRawBody(bytes, new ParserCursor(0, bytes.length()));
    }

    private static List<Param> paramsOf(RawBody body) {
        List<Param> out = new ArrayList<>();
        for (NameValuePair p : body.getParams()) {
            if (p.getName() != null && !p.getName().isBlank()) {
                out.add(new Param(p.getName().strip(), p.getValue() == null ? "" : p.getValue()));
            }
        }
        return out;
    }

    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Collects a header block's fields, unfolding continuation lines, up to {@link #MAX_HEADER_BYTES}. */
    private static final class HeaderCollector {
        private final HeaderFields fields = new HeaderFields();
        private byte[] current = new byte[256];
        private int length = -1;
        private long total;

        void line(Lines l) {
            if (l.length == 0) {
                flush();
                return;
            }
            boolean continuation = l.kept[l.keptFrom] == ' ' || l.kept[l.keptFrom] == '\t';
            if (!continuation) {
                flush();
                length = 0;
            }
            total += l.keptLength;
            if (length < 0 || total > MAX_HEADER_BYTES) {
                return;
            }
            if (length + l.keptLength > current.length) {
                current = Arrays.copyOf(current, Math.max(current.length * 2, length + l.keptLength));
            }
            System.arraycopy(l.kept, l.keptFrom, current, length, l.keptLength);
            length += l.keptLength;
        }

        private void flush() {
            if (length > 0) {
                fields.addRaw(current, length);
            }
            length = -1;
        }

        HeaderFields fields() {
            flush();
            return fields;
        }
    }

    /**
     * Reads lines with their offsets through a fixed buffer. A line ends at LF (CR LF or a bare LF) or at
     * the end of the input. Its first {@value #KEPT_LINE} octets (without the line break) are readable in
     * {@code kept[keptFrom, keptFrom + keptLength)} until the next line is read: in place in the buffer, or,
     * for a line longer than the buffer, in a copy of its start. One line can be pushed back.
     */
    private static final class Lines {
        private static final int BUFFER = 2 * KEPT_LINE;
        private static final VarHandle LONGS =
                MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        /** Where the next line starts in the buffer, and the end of the octets read into it. */
        private int pos;
        private int limit;
        /** The message offset of {@code buffer[0]}. */
        private long bufferOffset;
        /** The start of a line longer than the buffer, allocated when one comes. */
        private byte[] longLine;
        /** How many lines have been read (a pushed-back line does not count until read again). */
        long consumed;
        /** The current line: where it starts, its length without terminator, the terminator's length. */
        long start;
        long length;
        int terminator;
        byte[] kept = buffer;
        int keptFrom;
        int keptLength;
        /** Where the line before the current one started, and its terminator's length. */
        long previousStart = -1;
        int previousTerminator;
        boolean pushedBack;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The offset of the next octet to read. */
        long offset() {
            return bufferOffset + pos;
        }

        long end() {
            return start + length + terminator;
        }

        void unread() {
            pushedBack = true;
            consumed--;
        }

        boolean next() throws IOException {
            if (pushedBack) {
                pushedBack = false;
                consumed++;
                return true;
            }
            if (consumed > 0) {
                previousStart = start;
                previousTerminator = terminator;
            }
            start = bufferOffset + pos;
            byte[] b = buffer;
            int from = pos;
            int scan = pos;
            // octets of this line dropped from the buffer already (a line longer than the buffer), and the last
            long droppedTotal = 0;
            byte lastDropped = 0;
            while (true) {
                int lf = indexOfLf(b, scan, limit);
                if (lf < limit) {
                    pos = lf + 1;
                    boolean cr = lf > from ? b[lf - 1] == '\r' : droppedTotal > 0 && lastDropped == '\r';
                    terminator = cr ? 2 : 1;
                    length = droppedTotal + (lf - from) - (cr ? 1 : 0);
                    keep(from, droppedTotal);
                    consumed++;
                    return true;
                }
                if (droppedTotal == 0 && from > 0) {
                    // move the line's start to the front to read the rest behind it
                    System.arraycopy(b, from, b, 0, limit - from);
                    bufferOffset += from;
                    limit -= from;
                    lf -= from;
                    from = 0;
                } else if (limit == b.length) {
                    // a line longer than the buffer: only its start is kept
                    if (droppedTotal == 0) {
                        if (longLine == null) {
                            longLine = new byte[KEPT_LINE];
                        }
                        System.arraycopy(b, from, longLine, 0, KEPT_LINE);
                    }
                    droppedTotal += limit - from;
                    lastDropped = b[limit - 1];
                    bufferOffset += limit;
                    limit = 0;
                    lf = 0;
                    from = 0;
                }
                scan = lf;
                pos = from;
                int n = in.read(b, limit, b.length - limit);
                if (n <= 0) {
                    pos = limit;
                    terminator = 0;
                    length = droppedTotal + (limit - from);
                    if (length == 0) {
                        keptLength = 0;
                        return false;
                    }
                    keep(from, droppedTotal);
                    consumed++;
                    return true;
                }
                limit += n;
            }
        }

        /**
         * The index of the first LF in {@code b[from, to)}, or {@code to}: eight octets at a time, since this
         * loop sees every octet of every message.
         */
        private static int indexOfLf(byte[] b, int from, int to) {
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long w = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
                // a byte of w is zero where b has LF; the lowest flagged byte is the first zero (SWAR zero-byte test)
                long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
                if (zero != 0) {
                    return i + (Long.numberOfTrailingZeros(zero) >>> 3);
                }
            }
            while (i < to && b[i] != '\n') {
                i++;
            }
            return i;
        }

        private void keep(int from, long droppedTotal) {
            keptLength = (int) Math.min(length, KEPT_LINE);
            if (droppedTotal == 0) {
                kept = buffer;
                keptFrom = from;
            } else {
                kept = longLine;
                keptFrom = 0;
            }
        }
    }
}
