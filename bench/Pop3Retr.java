import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A POP3 RETR load client: logs in, reads STAT, then retrieves every message one after the other (one
 * command in flight, as fetchmail and mail clients do) or with all RETRs pipelined, reading each
 * multi-line response to its CRLF.CRLF, and reports messages/s and MiB/s of message octets. It never
 * deletes. It retrieves everything three times in the same session, so the last round runs on code the
 * JIT has compiled in both JVMs (a cold TLS stack alone is ten times slower), and prints the figures of
 * each round and "window START_MS END_MS" for the last. Given the server's process id, it has the server
 * collect garbage (jcmd GC.run) before the last round, so the heap in use when it starts is the live data,
 * not the login's Argon2 scratch memory.
 *
 * usage: java bench/Pop3Retr.java HOST:PORT USER PASSWORD plain|tls sequential|pipelined [SERVER_PID]
 */
public class Pop3Retr {

    public static void main(String[] args) throws Exception {
        String[] hp = args[0].split(":");
        String user = args[1];
        String password = args[2];
        boolean tls = args[3].equals("tls");
        boolean pipelined = args[4].equals("pipelined");
        Socket socket = tls ? trustAll().getSocketFactory().createSocket() : new Socket();
        socket.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
        socket.setReceiveBufferSize(1 << 20);
        if (socket instanceof SSLSocket ssl) {
            ssl.startHandshake();
        }
        Reader in = new Reader(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        expectOk(in.line());
        command(out, in, "USER " + user);
        command(out, in, "PASS " + password);
        String[] stat = command(out, in, "STAT").split(" ");
        int count = Integer.parseInt(stat[1]);
        long octets = Long.parseLong(stat[2]);
        int rounds = 3;
        for (int round = 1; round <= rounds; round++) {
            if (round == rounds && args.length > 5) {
                String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
                new ProcessBuilder(jcmd, args[5], "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                Thread.sleep(100);
            }
            long start = System.currentTimeMillis();
            long t0 = System.nanoTime();
            long received = pipelined ? pipelined(in, out, count) : sequential(in, out, count);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long end = System.currentTimeMillis();
            if (round == rounds) {
                System.out.printf("window %d %d%n", start, end);
            }
            System.out.printf("%s %s %s round %d/%d: %d messages, %d octets (%d on the wire) in %.3f s = %.1f messages/s,"
                    + " %.1f MiB/s%n", user, tls ? "tls" : "plain", pipelined ? "pipelined" : "sequential", round, rounds,
                    count, octets, received, seconds, count / seconds, octets / seconds / (1024 * 1024));
        }
        command(out, in, "QUIT");
        socket.close();
    }

    /** One RETR in flight at a time. */
    private static long sequential(Reader in, OutputStream out, int count) throws IOException {
        long received = 0;
        for (int i = 1; i <= count; i++) {
            out.write(("RETR " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expectOk(in.line());
            received += in.body();
        }
        return received;
    }

    /** Every RETR sent at once by a second thread while the answers are read. */
    private static long pipelined(Reader in, OutputStream out, int count) throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            all.append("RETR ").append(i).append("\r\n");
        }
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(all.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long received = 0;
        for (int i = 1; i <= count; i++) {
            expectOk(in.line());
            received += in.body();
        }
        writer.join();
        return received;
    }

    private static String command(OutputStream out, Reader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = in.line();
        expectOk(reply);
        return reply;
    }

    private static void expectOk(String reply) {
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("server said: " + reply);
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return c;
    }

    /** Buffered reads of status lines and of multi-line bodies up to CRLF.CRLF. */
    static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[256 * 1024];
        private int pos;
        private int lim;

        Reader(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            pos = 0;
            lim = in.read(buf);
            if (lim < 0) {
                throw new IOException("connection closed");
            }
            return true;
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos == lim) {
                    fill();
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    return b.toString().strip();
                }
                b.append((char) c);
            }
        }

        /** Skips a multi-line body; returns the octets read including the terminator. */
        long body() throws IOException {
            int state = 2; // just after the status line's CRLF
            long n = 0;
            while (true) {
                if (pos == lim) {
                    fill();
                }
                int i = pos;
                while (i < lim) {
                    byte c = buf[i++];
                    state = switch (state) {
                        case 0 -> c == '\r' ? 1 : 0;
                        case 1 -> c == '\n' ? 2 : c == '\r' ? 1 : 0;
                        case 2 -> c == '.' ? 3 : c == '\r' ? 1 : 0;
                        case 3 -> c == '\r' ? 4 : 0;
                        case 4 -> c == '\n' ? 5 : c == '\r' ? 1 : 0;
                        default -> state;
                    };
                    if (state == 5) {
                        n += i - pos;
                        pos = i;
                        return n;
                    }
                }
                n += lim - pos;
                pos = lim;
            }
        }
    }
}
