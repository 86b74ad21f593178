package org.mailwarden.reliability.harness;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small, strict SMTP client for whole-server tests: plain, STARTTLS or implicit TLS, AUTH PLAIN, and
 * one message at a time with its reply. It trusts any certificate (the test server's is self-signed) and
 * can bind to any 127.x.y.z address so that one machine plays many clients.
 */
public final class SmtpClient implements Closeable {

    /** One reply: its code and every line of it. */
    public record Reply(int code, List<String> lines) {
        public String last() {
            return lines.getLast();
        }

        public boolean positive() {
            return code >= 200 && code < 400;
        }

        @Override
        public String toString() {
            return String.join(" / ", lines);
        }
    }

    private static final int MAX_REPLY_LINE = 4096;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects (from {@code localAddress} when not null) and returns the client; the greeting is not read yet. */
    public static SmtpClient connect(InetSocketAddress server, boolean implicitTls, InetAddress localAddress,
                                     Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            if (localAddress != null) {
                s.bind(new InetSocketAddress(localAddress, 0));
            }
            s.connect(server, Math.toIntExact(timeout.toMillis()));
            s.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            if (implicitTls) {
                s = handshake(s, server);
            }
            return new SmtpClient(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Connects from the default address with a 30 s timeout and reads the greeting. */
    public static SmtpClient open(InetSocketAddress server, boolean implicitTls) throws IOException {
        SmtpClient c = connect(server, implicitTls, null, Duration.ofSeconds(30));
        Reply greeting = c.reply();
        if (greeting.code() != 220) {
            c.close();
            throw new IOException("no 220 greeting: " + greeting);
        }
        return c;
    }

    /** An SSL context that accepts the test server's self-signed certificate. */
    public static SSLContext trustAll() {
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
            throw new IllegalStateException(e);
        }
    }

    private static SSLSocket handshake(Socket plain, InetSocketAddress server) throws IOException {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return ssl;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = new BufferedOutputStream(s.getOutputStream());
    }

    public Socket socket() {
        return socket;
    }

    /** Reads one (possibly multi-line) reply. */
    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
            }
        }
    }

    public Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Sends one command line without reading the reply. */
    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Reply ehlo(String name) throws IOException {
        return expect(command("EHLO " + name), 250);
    }

    /** STARTTLS and the handshake; EHLO must be sent again afterwards. */
    public void startTls() throws IOException {
        expect(command("STARTTLS"), 220);
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        use(handshake(socket, remote));
    }

    /** AUTH PLAIN with an initial response; returns the reply (235 on success). */
    public Reply authPlain(String login, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    /**
     * One transaction: MAIL, every RCPT, DATA and the dot-stuffed message. Returns the first refusal, or
     * the reply to the end of data (250 when the server took responsibility for the message).
     */
    public Reply sendMessage(String from, List<String> recipients, byte[] message) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (r.code() != 250) {
            return r;
        }
        for (String to : recipients) {
            r = command("RCPT TO:<" + to + ">");
            if (r.code() != 250) {
                command("RSET");
                return r;
            }
        }
        r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        out.write(dotStuff(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** Dot-stuffs a CRLF message and makes sure it ends with CRLF. */
    static byte[] dotStuff(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte c : message) {
            if (lineStart && c == '.') {
                b.write('.');
            }
            b.write(c);
            lineStart = c == '\n';
        }
        if (!lineStart) {
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    private static Reply expect(Reply r, int code) throws IOException {
        if (r.code() != code) {
            throw new IOException("expected " + code + ", got " + r);
        }
        return r;
    }

    private String readLine() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by the server" + (b.isEmpty() ? "" : " after \"" + b + "\""));
            }
            if (c == '\n') {
                int n = b.length();
                if (n > 0 && b.charAt(n - 1) == '\r') {
                    b.setLength(n - 1);
                }
                return b.toString();
            }
            if (b.length() >= MAX_REPLY_LINE) {
                throw new IOException("reply line longer than " + MAX_REPLY_LINE);
            }
            b.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
