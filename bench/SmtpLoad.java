import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small SMTP load client (JDK only, one virtual thread per session): SESSIONS concurrent sessions send
 * MESSAGES messages in total of SIZE octets each to RCPT, optionally after STARTTLS, with MAIL, RCPT and
 * DATA pipelined (RFC 2920) as a real MTA does. Each session keeps its connection and counts a message
 * only when the server answered 250 to its end of data. Prints messages per second.
 *
 * usage: java bench/SmtpLoad.java HOST:PORT SESSIONS MESSAGES SIZE RCPT plain|starttls
 */
public class SmtpLoad {

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        InetSocketAddress server = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        int sessions = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        String rcpt = args[4];
        boolean tls = args[5].equals("starttls");
        byte[] body = body(size);
        AtomicInteger left = new AtomicInteger(messages);
        AtomicInteger ok = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    session(server, tls, rcpt, body, left, ok);
                } catch (Exception e) {
                    failed.incrementAndGet();
                    System.err.println("session failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d sessions, %d messages of %d octets accepted in %.2f s = %.0f messages/s (%d failed sessions)%n",
                tls ? "STARTTLS" : "plain", sessions, ok.get(), size, seconds, ok.get() / seconds, failed.get());
    }

    private static void session(InetSocketAddress server, boolean tls, String rcpt, byte[] body, AtomicInteger left,
                                AtomicInteger ok) throws Exception {
        Socket socket = new Socket();
        socket.connect(server, 10_000);
        socket.setSoTimeout(60_000);
        Conn c = new Conn(socket);
        c.expect(220);
        c.send("EHLO load.client\r\n");
        c.expect(250);
        if (tls) {
            c.send("STARTTLS\r\n");
            c.expect(220);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, server.getHostString(), server.getPort(), true);
            ssl.startHandshake();
            c = new Conn(ssl);
            c.send("EHLO load.client\r\n");
            c.expect(250);
        }
        while (left.getAndDecrement() > 0) {
            c.send("MAIL FROM:<load@remote.example>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.out.write(body);
            c.send(".\r\n");
            c.expect(250);
            ok.incrementAndGet();
        }
        c.send("QUIT\r\n");
        c.expect(221);
        socket.close();
    }

    private static byte[] body(int size) {
        StringBuilder b = new StringBuilder("Subject: load test\r\nFrom: load@remote.example\r\n\r\n");
        while (b.length() < size - 80) {
            b.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
        }
        while (b.length() < size - 2) {
            b.append('x');
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection's buffered streams and a reply reader. */
    private static final class Conn {
        final InputStream in;
        final OutputStream out;

        Conn(Socket s) throws IOException {
            in = new BufferedInputStream(s.getInputStream());
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads one reply (all its lines) and fails unless its code is {@code code}. */
        void expect(int code) throws IOException {
            while (true) {
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != '\n') {
                    if (b < 0) {
                        throw new IOException("connection closed");
                    }
                    line.append((char) b);
                }
                if (line.length() < 4 || !line.substring(0, 3).equals(String.valueOf(code))) {
                    throw new IOException("expected " + code + ", got " + line);
                }
                if (line.charAt(3) != '-') {
                    return;
                }
            }
        }
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
