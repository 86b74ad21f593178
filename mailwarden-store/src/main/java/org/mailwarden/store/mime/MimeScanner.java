package org.mailwarden.store.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;
import org.mailwarden.store.mime.MessageStructure.Address;
import org.mailwarden.store.mime.MessageStructure.Envelope;
import org.mailwarden.store.mime.MessageStructure.Param;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Computes a {@link MessageStructure} in one streaming pass over a message, with bounded memory whatever
 * its size: lines go through a fixed buffer and only header blocks (up to a limit) and the start of each
 * line (enough to recognise a boundary) are kept. The scanner finds the exact byte range of every part
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
    private int partCount;

    private MimeScanner(InputStream in) {
        this.lines = new Lines(in);
    }

    /** Scans a whole message; never fails on malformed content. */
    public static MessageStructure scan(InputStream in) throws IOException {
        return new MessageStructure(new MimeScanner(in).entity(0, new ArrayDeque<>(), false, 0, true));
    }

    /**
     * Scans one entity (header and body) starting at {@code start}, up to a boundary line of an enclosing
     * multipart (left unread) or the end of the input.
     */
    private Part entity(long start, Deque<byte[]> boundaries, boolean digestChild, int depth, boolean isMessage)
            throws IOException {
        partCount++;
        HeaderCollector header = new HeaderCollector();
        long bodyOffset = start;
        while (lines.next()) {
            if (boundaryKind(boundaries) != 0) {
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
            boolean boundaryNext = boundaryKind(boundaries) != 0;
            lines.unread();
            if (boundaryNext) {
                // the blank line that ended the header is also the line break before the boundary, which
                // belongs to the boundary (RFC 2046): the empty body starts there, inside this part
                bodyOffset = Math.max(start, lines.start - lines.previousTerminator);
            }
        }
        HeaderFields fields = header.fields();
        ContentType ct = ContentType.of(fields.first("Content-Type"), digestChild);
        String encoding = fields.first("Content-Transfer-Encoding");
        boolean identity = encoding == null || IDENTITY_ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT));
        boolean canNest = depth < MAX_DEPTH && partCount < MAX_PARTS;

        long firstBodyLine = lines.consumed;
        List<Part> children = new ArrayList<>();
        if (ct.isMultipart() && ct.boundary() != null && canNest) {
            multipart(ct, boundaries, depth, children);
        } else if (ct.isEncapsulated() && identity && canNest) {
            children.add(entity(bodyOffset, boundaries, false, depth + 1, true));
        } else {
            while (lines.next()) {
                if (boundaryKind(boundaries) != 0) {
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
        Disposition disposition = Disposition.of(fields.first("Content-Disposition"));
        return new Part(start, bodyOffset, bodyEnd - bodyOffset, bodyLines, ct.type(), ct.subtype(),
                ct.params(), fields.first("Content-ID"), fields.first("Content-Description"), encoding,
                fields.first("Content-MD5"), disposition == null ? null : disposition.type(),
                disposition == null ? List.of() : disposition.params(), languages(fields.first("Content-Language")),
                fields.first("Content-Location"), isMessage ? envelope(fields) : null, children);
    }

    /**
     * Where the body that just ended stops: before the line break that precedes the boundary line left
     * unread, or at the end of the input.
     */
    private long bodyEnd(long bodyOffset) {
        if (lines.pushedBack) {
            return Math.max(bodyOffset, lines.start - lines.previousTerminator);
        }
        return lines.offset;
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
    private void multipart(ContentType ct, Deque<byte[]> boundaries, int depth, List<Part> children) throws IOException {
        byte[] own = ct.boundary().getBytes(StandardCharsets.ISO_8859_1);
        boolean digest = ct.subtype().equalsIgnoreCase("digest");
        boundaries.push(own);
        boolean closed = false;
        try {
            while (lines.next()) {
                int kind = boundaryKind(boundaries);
                if (kind == 0) {
                    continue;
                }
                if (kind(own) == 0) {
                    // an enclosing multipart's boundary: this one ends without its close delimiter
                    lines.unread();
                    return;
                }
                if (closed || partCount >= MAX_PARTS) {
                    continue;
                }
                if (kind == 2) {
                    closed = true;
                    continue;
                }
                children.add(entity(lines.end(), boundaries, digest, depth + 1, false));
            }
        } finally {
            boundaries.pop();
        }
    }

    /** 0: the current line is no boundary of the enclosing multiparts; 1: a delimiter; 2: a close delimiter. */
    private int boundaryKind(Deque<byte[]> boundaries) {
        if (lines.length < 3 || lines.kept[0] != '-' || lines.kept[1] != '-') {
            return 0;
        }
        for (byte[] b : boundaries) {
            int kind = kind(b);
            if (kind != 0) {
                return kind;
            }
        }
        return 0;
    }

    /** Whether the current line is {@code --boundary} or {@code --boundary--}, with only white space after. */
    private int kind(byte[] boundary) {
        int n = boundary.length;
        if (lines.length > lines.keptLength || lines.keptLength < 2 + n
                || !Arrays.equals(lines.kept, 2, 2 + n, boundary, 0, n)) {
            return 0;
        }
        int i = 2 + n;
        int kind = 1;
        if (i + 1 < lines.keptLength && lines.kept[i] == '-' && lines.kept[i + 1] == '-') {
            kind = 2;
            i += 2;
        }
        for (; i < lines.keptLength; i++) {
            if (lines.kept[i] != ' ' && lines.kept[i] != '\t') {
                return 0;
            }
        }
        return kind;
    }

    private static Envelope envelope(HeaderFields f) {
        List<Address> from = AddressParser.parse(f.first("From"));
        List<Address> sender = AddressParser.parse(f.first("Sender"));
        List<Address> replyTo = AddressParser.parse(f.first("Reply-To"));
        // RFC 9051: the server defaults sender and reply-to to from
        return new Envelope(f.first("Date"), f.first("Subject"), from, sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo, AddressParser.parse(f.first("To")),
                AddressParser.parse(f.first("Cc")), AddressParser.parse(f.first("Bcc")), f.first("In-Reply-To"),
                f.first("Message-ID"));
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
        ByteSequence bytes = ContentUtil.encode(StandardCharsets.UTF_8, value);
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
        return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0);
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
            boolean continuation = l.kept[0] == ' ' || l.kept[0] == '\t';
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
            System.arraycopy(l.kept, 0, current, length, l.keptLength);
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
     * Reads lines with their offsets through a fixed buffer, keeping the first {@value #KEPT_LINE} octets of
     * each. A line ends at LF (CR LF or a bare LF) or at the end of the input. One line can be pushed back.
     */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        /** Offset of the next octet to read. */
        long offset;
        /** How many lines have been read (a pushed-back line does not count until read again). */
        long consumed;
        /** The current line: where it starts, its length without terminator, the terminator's length. */
        long start;
        long length;
        int terminator;
        final byte[] kept = new byte[KEPT_LINE];
        int keptLength;
        /** Where the line before the current one started, and its terminator's length. */
        long previousStart = -1;
        int previousTerminator;
        boolean pushedBack;

        Lines(InputStream in) {
            this.in = in;
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
            start = offset;
            length = 0;
            keptLength = 0;
            terminator = 0;
            boolean previousCr = false;
            while (true) {
                if (pos == limit && !fill()) {
                    if (length > 0) {
                        consumed++;
                        return true;
                    }
                    return false;
                }
                byte b = buffer[pos++];
                offset++;
                if (b == '\n') {
                    if (previousCr) {
                        if (keptLength == length) {
                            keptLength--;
                        }
                        length--;
                        terminator = 2;
                    } else {
                        terminator = 1;
                    }
                    consumed++;
                    return true;
                }
                previousCr = b == '\r';
                if (keptLength < KEPT_LINE) {
                    kept[keptLength++] = b;
                }
                length++;
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }
    }
}
