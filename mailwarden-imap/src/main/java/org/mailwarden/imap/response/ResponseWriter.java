package org.mailwarden.imap.response;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP responses to the connection's buffered output: status responses, untagged data and the
 * pieces data is made of (atoms, numbers, strings, literals, parenthesised lists). Strings become
 * quoted strings when they are short and safe, and literals otherwise, so no value can break the
 * response syntax; in UTF-8 mode (IMAP4rev2 or UTF8=ACCEPT enabled) UTF-8 text may be quoted. Literal
 * bodies are streamed from an {@link InputStream}. Nothing is sent before {@link #flush()}.
 */
public final class ResponseWriter {

    /** The status of a tagged or untagged status response. */
    public enum Status { OK, NO, BAD, PREAUTH, BYE }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_QUOTED = 1024;

    private final OutputStream out;
    private boolean utf8;

    public ResponseWriter(OutputStream out) {
        this.out = out;
    }

    /** Allows UTF-8 in quoted strings from now on. */
    public void enableUtf8() {
        this.utf8 = true;
    }

    public boolean utf8() {
        return utf8;
    }

    // ---- whole responses ---------------------------------------------------------------------------

    /** {@code * text}: untagged data or status made of ASCII text. */
    public void untagged(String text) throws IOException {
        raw("* ").raw(text).crlf();
    }

    /** {@code tag STATUS [code] text}. {@code code} may be null. */
    public void tagged(String tag, Status status, String code, String text) throws IOException {
        raw(tag).raw(" ").raw(status.name()).raw(" ");
        if (code != null) {
            raw("[").raw(code).raw("] ");
        }
        raw(text).crlf();
    }

    /** {@code * STATUS [code] text}. */
    public void untaggedStatus(Status status, String code, String text) throws IOException {
        tagged("*", status, code, text);
    }

    /** {@code + text}: a command continuation request. */
    public void continuation(String text) throws IOException {
        raw("+ ").raw(text).crlf();
    }

    public void flush() throws IOException {
        out.flush();
    }

    // ---- pieces ------------------------------------------------------------------------------------

    /** ASCII text as it is; the caller guarantees it is valid response syntax. */
    public ResponseWriter raw(String ascii) throws IOException {
        // one write per piece, not per character (a FETCH of a large mailbox writes millions of pieces);
        // anything outside ASCII becomes '?', never an 8-bit octet
        out.write(ascii.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public ResponseWriter crlf() throws IOException {
        out.write(CRLF);
        return this;
    }

    public ResponseWriter sp() throws IOException {
        out.write(' ');
        return this;
    }

    public ResponseWriter open() throws IOException {
        out.write('(');
        return this;
    }

    public ResponseWriter close() throws IOException {
        out.write(')');
        return this;
    }

    public ResponseWriter number(long n) throws IOException {
        return raw(Long.toString(n));
    }

    public ResponseWriter nil() throws IOException {
        return raw("NIL");
    }

    /** A string as a quoted string when safe, else as a literal. */
    public ResponseWriter string(String s) throws IOException {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    public ResponseWriter string(byte[] bytes) throws IOException {
        if (quotable(bytes)) {
            out.write('"');
            int run = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '"' || bytes[i] == '\\') {
                    out.write(bytes, run, i - run);
                    out.write('\\');
                    run = i;
                }
            }
            out.write(bytes, run, bytes.length - run);
            out.write('"');
            return this;
        }
        return literal(bytes);
    }

    /** A string or NIL for null. */
    public ResponseWriter nstring(String s) throws IOException {
        return s == null ? nil() : string(s);
    }

    /** An astring: an atom when the text is one, else a string. */
    public ResponseWriter astring(String s) throws IOException {
        if (!s.isEmpty() && s.chars().allMatch(ResponseWriter::isAstringChar) && !s.equalsIgnoreCase("NIL")) {
            return raw(s);
        }
        return string(s);
    }

    public ResponseWriter literal(byte[] bytes) throws IOException {
        raw("{").number(bytes.length).raw("}").crlf();
        out.write(bytes);
        return this;
    }

    /** A literal of exactly {@code length} octets streamed from {@code in}. */
    public ResponseWriter literal(InputStream in, long length) throws IOException {
        raw("{").number(length).raw("}").crlf();
        return copy(in, length);
    }

    /** A literal8 ({@code ~{n}}, RFC 3516) of exactly {@code length} octets streamed from {@code in}. */
    public ResponseWriter literal8(InputStream in, long length) throws IOException {
        raw("~{").number(length).raw("}").crlf();
        return copy(in, length);
    }

    private ResponseWriter copy(InputStream in, long length) throws IOException {
        // allocated per literal, not per session: thousands of idle sessions should not each hold one
        byte[] copyBuffer = new byte[(int) Math.min(16 * 1024, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
            if (n < 0) {
                throw new EOFException("message data ended " + left + " octets early");
            }
            out.write(copyBuffer, 0, n);
            left -= n;
        }
        return this;
    }

    /** Raw octets, e.g. a literal's content written in pieces. */
    public ResponseWriter bytes(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        return this;
    }

    private boolean quotable(byte[] bytes) {
        if (bytes.length > MAX_QUOTED) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
            if (c >= 0x80) {
                if (!utf8) {
                    return false;
                }
                int len = Utf8.sequenceLength(bytes, i);
                if (len < 0) {
                    return false;
                }
                i += len - 1;
            }
        }
        return true;
    }

    static boolean isAstringChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"'
                && c != '\\';
    }
}
