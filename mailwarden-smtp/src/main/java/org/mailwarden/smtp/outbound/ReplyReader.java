package org.mailwarden.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;

/**
 * Reads SMTP replies (RFC 5321 §4.2) from the next hop with bounded memory: at most {@value #MAX_LINES}
 * lines of at most {@value #MAX_LINE} octets each. Lenient where leniency is harmless (a bare LF ends a
 * line; text of an over-long line is cut), strict where it matters: every line must start with the same
 * three digits followed by a space, a hyphen or nothing, and the stream must not end mid-reply.
 */
final class ReplyReader {

    static final int MAX_LINE = 2048;
    static final int MAX_LINES = 200;

    private final LineReader lines;

    ReplyReader(InputStream in) {
        this.lines = new LineReader(in, MAX_LINE);
    }

    /** Bytes received but not yet read: after a command that was not pipelined, a sign of a confused server. */
    int buffered() {
        return lines.buffered();
    }

    ServerReply read() throws IOException {
        List<String> text = new ArrayList<>();
        int code = -1;
        while (true) {
            Line line = lines.readLine();
            if (line.isEof()) {
                throw new SmtpProtocolException(text.isEmpty() ? "connection closed by the server"
                        : "connection closed in the middle of a reply");
            }
            if (line.ending() == Line.Ending.TOO_LONG && !lines.skipRestOfLine()) {
                throw new SmtpProtocolException("reply line without end");
            }
            String s = line.utf8();
            if (s.length() < 3 || !isDigits(s) || s.length() > 3 && s.charAt(3) != ' ' && s.charAt(3) != '-') {
                throw new SmtpProtocolException("garbled reply: " + Text.printable(s, 100));
            }
            int lineCode = Integer.parseInt(s.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new SmtpProtocolException("reply lines with different codes: " + code + " and " + lineCode);
            }
            if (lineCode < 200 || lineCode > 599) {
                throw new SmtpProtocolException("reply code out of range: " + Text.printable(s, 100));
            }
            code = lineCode;
            text.add(s.length() > 4 ? s.substring(4) : "");
            if (s.length() == 3 || s.charAt(3) == ' ') {
                return new ServerReply(code, text);
            }
            if (text.size() >= MAX_LINES) {
                throw new SmtpProtocolException("reply of more than " + MAX_LINES + " lines");
            }
        }
    }

    private static boolean isDigits(String s) {
        return Character.isDigit(s.charAt(0)) && Character.isDigit(s.charAt(1)) && Character.isDigit(s.charAt(2))
                && s.charAt(0) < 0x80 && s.charAt(1) < 0x80 && s.charAt(2) < 0x80;
    }
}
