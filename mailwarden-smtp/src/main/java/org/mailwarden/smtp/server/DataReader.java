package org.mailwarden.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;

/**
 * Reads the body of a DATA command from the session's {@link LineReader}: dot-stuffed lines up to the
 * end-of-data marker. Only {@code <CRLF>.<CRLF>} ends the body: a dot line counts only when the line
 * before it ended in CRLF and it ends in CRLF itself, so {@code \n.\n}, {@code \r.\r} and
 * {@code \n.\r\n} are ordinary content, which {@link BodySink} then refuses as bare newlines. A message
 * can thus never end where a more lenient server downstream would see it end, which is what SMTP
 * smuggling (CVE-2023-51764) exploits. Over-long lines arrive in pieces; only a piece that starts a
 * line is unstuffed or can be the marker. Pipelined commands after the marker stay unread.
 */
final class DataReader {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LF = {'\n'};

    private final LineReader reader;

    DataReader(LineReader reader) {
        this.reader = reader;
    }

    /**
     * Reads up to and including the end-of-data marker, passing the unstuffed content (with the CRLF
     * before the marker, without the marker) to {@code sink}.
     *
     * @throws EOFException when the connection ends before the marker
     */
    void read(BodySink sink) throws IOException {
        boolean lineStart = true;
        while (true) {
            Line line = reader.readLine();
            boolean dotFirst = lineStart && line.length() > 0 && line.byteAt(0) == '.';
            if (dotFirst && line.length() == 1 && line.isClean()) {
                return;
            }
            byte[] bytes = line.bytes();
            int skip = dotFirst ? 1 : 0; // dot-unstuffing: a leading dot is never content
            sink.write(bytes, skip, bytes.length - skip);
            switch (line.ending()) {
                case CRLF -> sink.write(CRLF, 0, 2);
                case LF -> sink.write(LF, 0, 1);
                case TOO_LONG -> { }
                case EOF -> throw new EOFException("connection closed during DATA");
            }
            lineStart = line.ending() == Line.Ending.CRLF;
        }
    }
}
