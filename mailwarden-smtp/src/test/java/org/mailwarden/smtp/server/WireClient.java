package org.mailwarden.smtp.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.mailwarden.core.testing.TestTls;

/**
 * A raw SMTP client for tests that must send exactly the bytes a hostile client would: bare LFs,
 * pipelined commands, plaintext after STARTTLS. Binds to a chosen 127.0.0.x so each test can be a
 * different client address. Replies are read whole (all lines of a multi-line reply).
 */
final class WireClient implements Closeable {

    /** One reply: its code and the full text of all its lines. */
    record Response(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        /** The first line, e.g. {@code "250 2.1.5 Recipient OK"}. */
        @Override
        public String toString() {
            return lines.get(0);
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    WireClient(String clientIp, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(clientIp), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(20_000);
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends raw text (ISO-8859-1 bytes) exactly as given. */
    WireClient raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends {@code line} plus CRLF and reads one reply. */
    Response cmd(String line) throws IOException {
        raw(line + "\r\n");
        return read();
    }

    /** Reads one (possibly multi-line) reply. */
    Response read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; replies so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Response(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** Whether the server closed the connection (reads EOF). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** EHLO, then STARTTLS, then the TLS handshake trusting any certificate. */
    WireClient startTls(String helo) throws Exception {
        cmd("EHLO " + helo);
        Response r = cmd("STARTTLS");
        if (r.code() != 220) {
            throw new IOException("STARTTLS refused: " + r);
        }
        upgrade();
        return this;
    }

    /** Runs the client side of a TLS handshake over the current socket. */
    void upgrade() throws Exception {
        SSLSocket ssl = (SSLSocket) TestTls.trustAllClient().getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        streams();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
