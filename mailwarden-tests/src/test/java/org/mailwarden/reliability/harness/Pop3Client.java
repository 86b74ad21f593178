package org.mailwarden.reliability.harness;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * A small POP3 client for whole-server tests: implicit TLS (pop3s), one status line per command, from
 * any 127.x.y.z address. It trusts the test server's self-signed certificate.
 */
public final class Pop3Client implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects over implicit TLS from {@code from} and reads the greeting, which must be {@code +OK}. */
    public static Pop3Client openTls(InetSocketAddress server, InetAddress from) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(server, 30_000);
        plain.setSoTimeout(Math.toIntExact(Duration.ofSeconds(60).toMillis()));
        SSLSocket ssl = (SSLSocket) SmtpClient.trustAll().getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        Pop3Client c = new Pop3Client(ssl);
        String greeting = c.line();
        if (!greeting.startsWith("+OK")) {
            c.close();
            throw new IOException("no +OK greeting: " + greeting);
        }
        return c;
    }

    /** Sends one command and returns its status line. */
    public String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return line();
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            b.append((char) c);
        }
        return b.toString().strip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
