package org.mailwarden.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.testing.WireConnection;

/**
 * A raw POP3 client for protocol tests: sends exact bytes and reads replies line by line, so a test sees
 * precisely what the server sent (dot-stuffing included). Trusts any certificate.
 */
final class PopWire implements AutoCloseable {

    private final WireConnection wire;

    private PopWire(WireConnection wire) {
        this.wire = wire;
    }

    static PopWire connect(int port) throws IOException {
        return new PopWire(WireConnection.connect(port));
    }

    static PopWire connectTls(int port) throws Exception {
        return new PopWire(WireConnection.connectTls(port));
    }

    /** Upgrades after the server's +OK to STLS. */
    void startTls() throws Exception {
        wire.startTls();
    }

    void sendRaw(byte[] bytes) throws IOException {
        wire.send(bytes);
    }

    void sendRaw(String text) throws IOException {
        wire.send(text);
    }

    /** Sends one command with CRLF and returns the first reply line. */
    String command(String line) throws IOException {
        sendRaw(line + "\r\n");
        return readLine();
    }

    /** Sends a command and reads a multi-line reply: the status line, then the lines until ".", unstuffed. */
    List<String> multiline(String line) throws IOException {
        sendRaw(line + "\r\n");
        return readMultiline();
    }

    List<String> readMultiline() throws IOException {
        List<String> lines = new ArrayList<>();
        String status = readLine();
        lines.add(status);
        if (!status.startsWith("+OK")) {
            return lines;
        }
        while (true) {
            String l = readLine();
            if (l.equals(".")) {
                return lines;
            }
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
    }

    /** The raw bytes of a multi-line body after its status line, up to and including CRLF.CRLF. */
    byte[] readRawBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // how much of CRLF "." CRLF has been seen; the body starts right after the status line's CRLF
        int state = 2;
        InputStream in = wire.input();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed inside a multi-line response");
            }
            b.write(c);
            state = switch (state) {
                case 0 -> c == '\r' ? 1 : 0;
                case 1 -> c == '\n' ? 2 : c == '\r' ? 1 : 0;
                case 2 -> c == '.' ? 3 : c == '\r' ? 1 : 0;
                case 3 -> c == '\r' ? 4 : 0;
                case 4 -> c == '\n' ? 5 : c == '\r' ? 1 : 0;
                default -> throw new IllegalStateException();
            };
            if (state == 5) {
                return b.toByteArray();
            }
        }
    }

    /** A body as RETR sent it, unstuffed, without the final "." line. */
    static byte[] unstuff(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean lineStart = true;
        int end = raw.length - 3; // drop ".\r\n"
        for (int i = 0; i < end; i++) {
            byte c = raw[i];
            if (lineStart && c == '.') {
                lineStart = false;
                continue;
            }
            b.write(c);
            lineStart = c == '\n';
        }
        return b.toByteArray();
    }

    String readLine() throws IOException {
        return wire.readLine();
    }

    /** Logs in with USER/PASS and returns the PASS reply. */
    String login(String user, String password) throws IOException {
        String u = command("USER " + user);
        if (!u.startsWith("+OK")) {
            return u;
        }
        return command("PASS " + password);
    }

    /** Whether the server closed the connection (reads until EOF, at most a few lines). */
    boolean closedByServer() throws IOException {
        for (int i = 0; i < 10; i++) {
            if (readLine() == null) {
                return true;
            }
        }
        return false;
    }

    /** Drops the connection without QUIT. */
    @Override
    public void close() throws IOException {
        wire.close();
    }
}
