package org.mailwarden.smtp.outbound;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a message body as SMTP DATA (RFC 5321 §4.5.2): a dot at the start of a line is doubled, every
 * line ends in CR LF — a bare CR or LF becomes CR LF, so no next hop can read a line end (or the end of
 * the data) that this server did not mean (SMTP smuggling) — and {@link #finish()} ends the body with
 * {@code CRLF.CRLF}. It does not close the stream below.
 */
final class DotStuffer extends FilterOutputStream {

    private boolean lineStart = true;
    private boolean pendingCr;

    DotStuffer(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            endLine();
            if (b == '\n') {
                return;
            }
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        if (b == '\n') {
            endLine();
            return;
        }
        if (lineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        lineStart = false;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // Runs of ordinary bytes go through in one call; only line ends and leading dots take the slow path.
        int run = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n' || pendingCr || lineStart && c == '.') {
                if (i > run) {
                    out.write(b, run, i - run);
                    lineStart = false;
                }
                write(c);
                run = i + 1;
            } else {
                lineStart = false;
            }
        }
        if (end > run) {
            out.write(b, run, end - run);
            lineStart = false;
        }
    }

    /** Ends the last line if it is open and writes the terminating dot line. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            endLine();
        }
        if (!lineStart) {
            endLine();
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }

    private void endLine() throws IOException {
        out.write('\r');
        out.write('\n');
        lineStart = true;
    }

    @Override
    public void close() {
        // The connection outlives the body.
    }
}
