package org.mailwarden.bench.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client's side of a line-based mail protocol connection: CRLF lines in and out, raw bytes for
 * message bodies and literals, and an in-place TLS upgrade. Every read is bounded by a socket timeout
 * and every line by a length limit, so a misbehaving server ends a benchmark run with an error instead
 * of hanging it. Certificates are not verified: the benchmark talks only to servers on loopback that use
 * self-signed certificates.
 */
public final class LineConnection implements AutoCloseable {

    /** The longest line a server may send us; IMAP FETCH responses carry literals instead of long lines. */
    public static final int MAX_LINE = 1 << 20;

    private static final SSLContext TRUST_ALL = trustAll();

    private final String host;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long bytesRead;

    private LineConnection(String host, Socket socket) throws IOException {
        this.host = host;
        attach(socket);
    }

    /** Connects to {@code host:port} in plain text. */
    public static LineConnection open(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return new LineConnection(host, s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    /** Upgrades the connection to TLS (after STARTTLS / STLS was accepted) and completes the handshake. */
    public void startTls() throws IOException {
        SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.setSoTimeout(socket.getSoTimeout());
        tls.startHandshake();
        attach(tls);
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Reads one line without its CRLF (a bare LF also ends it). */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection" + (line.size() > 0 ? " in the middle of a line" : ""));
            }
            bytesRead++;
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("the server sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /** Reads and discards exactly {@code n} bytes (an IMAP literal the benchmark only counts). */
    public void skip(long n) throws IOException {
        long left = n;
        byte[] buffer = new byte[8192];
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new EOFException("the server closed the connection inside a literal");
            }
            left -= r;
            bytesRead += r;
        }
    }

    /** Sends one line, adding CRLF, and flushes. */
    public void writeLine(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    /** Sends raw bytes and flushes. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The bytes received so far, literals included. */
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark connection that already failed: nothing left to do
        }
    }

    private static SSLContext trustAll() {
        try {
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
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
