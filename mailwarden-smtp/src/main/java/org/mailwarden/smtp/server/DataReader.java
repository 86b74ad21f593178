package org.mailwarden.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the body of a DATA command: dot-stuffed lines up to the end-of-data marker. Only
 * {@code <CRLF>.<CRLF>} ends the body; a dot line after a bare LF or bare CR ({@code \n.\n},
 * {@code \r.\r}, {@code \n.\r\n}) is ordinary content, which {@link BodySink} then refuses as a bare
 * newline. So a message can never end where a more lenient server downstream would see it end, which
 * is what SMTP smuggling (CVE-2023-51764) exploits. Reads octet by octet from a buffered stream that the
 * command reader shares, so pipelined commands after the marker stay unread.
 */
final class DataReader {

    private enum State { TEXT, DOT, DOT_CR }

    private final InputStream in;

    /** {@code in} must be buffered: it is read one octet at a time. */
    DataReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads up to and including the end-of-data marker, passing the unstuffed content (with the CRLF
     * before the marker, without the marker) to {@code sink}.
     *
     * @throws EOFException when the connection ends before the marker
     */
    void read(BodySink sink) throws IOException {
        byte[] out = new byte[8192];
        int n = 0;
        State state = State.TEXT;
        boolean lineStart = true;
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during DATA");
            }
            if (n >= out.length - 1) {
                sink.write(out, 0, n);
                n = 0;
            }
            switch (state) {
                case TEXT -> {
                    if (lineStart && b == '.') {
                        state = State.DOT; // dot-unstuffing: the first dot of a line is never content
                        lineStart = false;
                        continue;
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = State.DOT_CR;
                        continue;
                    }
                    state = State.TEXT;
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        sink.write(out, 0, n);
                        return;
                    }
                    state = State.TEXT;
                    out[n++] = '\r';
                    previous = '\r';
                }
            }
            out[n++] = (byte) b;
            lineStart = previous == '\r' && b == '\n';
            previous = b;
        }
    }
}
