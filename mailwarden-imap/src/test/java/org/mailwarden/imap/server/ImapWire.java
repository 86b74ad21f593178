package org.mailwarden.imap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.core.testing.WireConnection;

/**
 * A raw IMAP client for exact-response tests: sends command lines, and reads responses as whole
 * logical lines with their literals inline, up to the tagged completion.
 */
final class ImapWire implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\+?}$");

    private final WireConnection wire;
    private int tags;

    private ImapWire(WireConnection wire) {
        this.wire = wire;
    }

    static ImapWire connect(int port) throws IOException {
        return new ImapWire(WireConnection.connect(port));
    }

    static ImapWire connectTls(int port) throws Exception {
        return new ImapWire(WireConnection.connectTls(port));
    }

    /** Upgrades the connection after the server's OK to STARTTLS. */
    void startTls() throws Exception {
        wire.startTls();
    }

    /** Sends raw octets as they are. */
    void send(String raw) throws IOException {
        wire.send(raw);
    }

    void send(byte[] raw) throws IOException {
        wire.send(raw);
    }

    /** Reads one logical response line (without its final CRLF), literals inline; null at the end of the stream. */
    String read() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            String part = wire.readLine();
            if (part == null) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            line.writeBytes(wire.input().readNBytes(Integer.parseInt(m.group(1))));
        }
    }

    /** Reads responses up to and including the one tagged {@code tag}. */
    List<String> readUntil(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = read();
            if (line == null) {
                throw new IOException("connection closed before the " + tag + " completion; got " + lines);
            }
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Sends {@code tag command} and returns every response up to the tagged one. */
    List<String> command(String command) throws IOException {
        String tag = "A" + (++tags);
        send(tag + " " + command + "\r\n");
        return readUntil(tag);
    }

    /** The last tag {@link #command} used. */
    String lastTag() {
        return "A" + tags;
    }

    /** Like {@link #command}, returning the tagged completion without its tag, e.g. "OK [...] done". */
    String completion(List<String> responses) {
        String last = responses.getLast();
        return last.substring(last.indexOf(' ') + 1);
    }

    /** Logs in with LOGIN; the caller made plaintext possible (TLS or the setting). */
    void login(String user, String password) throws IOException {
        List<String> r = command("LOGIN " + user + " \"" + password + "\"");
        if (!completion(r).startsWith("OK")) {
            throw new IOException("login failed: " + r);
        }
    }

    @Override
    public void close() throws IOException {
        wire.close();
    }
}
