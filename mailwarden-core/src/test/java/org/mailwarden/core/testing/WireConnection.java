package org.mailwarden.core.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A raw client connection to a line protocol on 127.0.0.1, for exact-response tests: sends octets as
 * they are and reads reply lines without their line ending, over plain TCP, implicit TLS or after a
 * STARTTLS-style upgrade; trusts any certificate. The protocol clients of the tests (IMAP, POP3, SMTP)
 * are built on it. Not thread-safe.
 */
public final class WireConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 20_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private WireConnection(Socket socket) throws IOException {
        use(socket);
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    public static WireConnection connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
        return new WireConnection(s);
    }

    /** A connection that is TLS from its first byte (imaps, pop3s, submissions). */
    public static WireConnection connectTls(int port) throws Exception {
        SSLSocket s = (SSLSocket) TestTls.trustAllClient().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
        s.startHandshake();
        return new WireConnection(s);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    /** Upgrades the connection to TLS, after the server agreed to STARTTLS or STLS. */
    public void startTls() throws Exception {
        SSLSocket ssl = (SSLSocket) TestTls.trustAllClient().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
    }

    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One line without its CRLF (or bare LF); null when the server closed the connection between lines.
     *
     * @throws IOException also when the connection ends in the middle of a line
     */
    public String readLine() throws IOException {
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

    /** The connection's input, for what is not read by lines (IMAP literals, POP3 bodies as sent). */
    public InputStream input() {
        return in;
    }

    /** Drops the connection without saying goodbye. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
