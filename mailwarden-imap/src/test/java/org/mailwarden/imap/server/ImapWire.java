package org.mailwarden.imap.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw IMAP client for exact-response tests: sends command lines, and reads responses as whole
 * logical lines with their literals inline, up to the tagged completion.
 */
final class ImapWire implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\+?}$");

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tags;

    private ImapWire(Socket socket) throws IOException {
        use(socket);
        socket.setSoTimeout(20_000);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    static ImapWire connect(int port) throws IOException {
        return new ImapWire(new Socket("127.0.0.1", port));
    }

    static ImapWire connectTls(int port) throws Exception {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new ImapWire(s);
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** Upgrades the connection after the server's OK to STARTTLS. */
    void startTls() throws Exception {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.startHandshake();
        use(s);
    }

    /** Sends raw octets as they are. */
    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one logical response line (without its final CRLF), literals inline; null at the end of the stream. */
    String read() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            String part = rawLine();
            if (part == null) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            line.writeBytes(in.readNBytes(Integer.parseInt(m.group(1))));
        }
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
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
        socket.close();
    }
}
