package org.mailwarden.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a stored message as the body of a multi-line response (RFC 1939 §3): every line that starts
 * with a dot gets one more, and the response ends with CRLF.CRLF (a CRLF is added first if the message
 * does not end with a line break). For TOP it stops after the header, the blank line and the requested
 * number of body lines. Memory is one buffer of at most {@link #BUFFER_SIZE} whatever the message size,
 * sized down to the message (most are a few KiB, and a fresh 64 KiB buffer per RETR cost more to
 * allocate and clear than the message did to send). Lines are counted at LF,
 * so a stray bare LF in a stored message is a line end here as it is for every client; the bytes
 * themselves are sent as stored, which keeps RETR's octet count equal to the size LIST announced.
 */
final class MultilineBody {

    static final int BUFFER_SIZE = 64 * 1024;

    /** The message could not be read from the store after the {@code +OK} went out. */
    static final class ReadFailure extends IOException {
        ReadFailure(Exception cause) {
            super("cannot read the message body: " + cause.getMessage(), cause);
        }
    }

    /** Whole reads need at most this much more room than the message: one read finds the end of the stream. */
    private static final int MIN_BUFFER = 512;

    private final OutputStream out;
    private final long bodyLines;
    private boolean lineStart = true;
    private int lineLength;
    private boolean previousCr;
    private boolean inBody;
    private long bodyLinesLeft;
    private boolean endsWithLf = true;

    private MultilineBody(OutputStream out, long bodyLines) {
        this.out = out;
        this.bodyLines = bodyLines;
        this.bodyLinesLeft = bodyLines;
    }

    /**
     * RETR: the whole message of {@code size} octets (the stored size; it only sizes the buffer, so a
     * wrong value costs reads, never bytes).
     */
    static void whole(InputStream in, OutputStream out, long size) throws IOException {
        new MultilineBody(out, -1).copy(in, size);
    }

    /** TOP: the header and the first {@code bodyLines} lines of the body of a message of {@code size} octets. */
    static void top(InputStream in, OutputStream out, long size, long bodyLines) throws IOException {
        if (bodyLines < 0) {
            throw new IllegalArgumentException("negative line count");
        }
        new MultilineBody(out, bodyLines).copy(in, size);
    }

    private void copy(InputStream in, long size) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(MIN_BUFFER, size + 1))];
        boolean more = true;
        while (more) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                // the store failed mid-response (a storage error, a body removed meanwhile on PostgreSQL)
                throw new ReadFailure(e);
            }
            if (n < 0) {
                break;
            }
            int used = bodyLines < 0 ? writeAll(buffer, n) : write(buffer, n);
            more = used == n;
        }
        if (!endsWithLf) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
    }

    /** RETR's path: writes {@code n} bytes, dot-stuffing, with one comparison per byte. */
    private int writeAll(byte[] b, int n) throws IOException {
        if (n == 0) {
            return 0;
        }
        if (lineStart && b[0] == '.') {
            out.write('.');
        }
        int runStart = 0;
        int last = n - 1;
        for (int i = 0; i < last; i++) {
            if (b[i] == '\n' && b[i + 1] == '.') {
                out.write(b, runStart, i + 1 - runStart);
                out.write('.');
                runStart = i + 1;
            }
        }
        out.write(b, runStart, n - runStart);
        lineStart = b[last] == '\n';
        endsWithLf = lineStart;
        return n;
    }

    /** TOP's path: writes up to {@code n} bytes, dot-stuffing; returns how many were used (fewer when done). */
    private int write(byte[] b, int n) throws IOException {
        int runStart = 0;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (lineStart && c == '.') {
                out.write(b, runStart, i - runStart);
                out.write('.');
                runStart = i;
            }
            lineStart = false;
            if (c == '\n') {
                boolean empty = lineLength == 0 || (lineLength == 1 && previousCr);
                lineStart = true;
                lineLength = 0;
                previousCr = false;
                if (lineEnded(empty)) {
                    out.write(b, runStart, i + 1 - runStart);
                    endsWithLf = true;
                    return i + 1;
                }
            } else {
                lineLength++;
                previousCr = c == '\r';
            }
        }
        out.write(b, runStart, n - runStart);
        if (n > 0) {
            endsWithLf = b[n - 1] == '\n';
        }
        return n;
    }

    /** Tracks header and body lines for TOP; true when nothing more is to be sent. */
    private boolean lineEnded(boolean empty) {
        if (bodyLines < 0) {
            return false;
        }
        if (!inBody) {
            inBody = empty;
            return inBody && bodyLinesLeft == 0;
        }
        bodyLinesLeft--;
        return bodyLinesLeft == 0;
    }
}
