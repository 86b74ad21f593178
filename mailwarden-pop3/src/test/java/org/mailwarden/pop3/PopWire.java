package org.mailwarden.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw POP3 client for protocol tests: sends exact bytes and reads replies line by line, so a test sees
 * precisely what the server sent (dot-stuffing included). Trusts any certificate.
 */
final class PopWire implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private PopWire(Socket socket) throws IOException {
        use(socket);
        socket.setSoTimeout(15_000);
    }

    static PopWire connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new PopWire(s);
    }

    static PopWire connectTls(int port) throws Exception {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.startHandshake();
        return new PopWire(s);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** Upgrades after the server's +OK to STLS. */
    void startTls() throws Exception {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
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

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.UTF_8));
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
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed mid-line: " + b.toString(StandardCharsets.UTF_8));
            }
            if (c == '\n') {
                byte[] line = b.toByteArray();
                int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
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
        socket.close();
    }
}
