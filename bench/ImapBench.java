import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.net.Listener;
import org.mailwarden.imap.ImapService;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/**
 * The figures of the IMAP issue, in one run on a fresh SQLite store:
 *  1. FETCH 1:* (FLAGS ENVELOPE) on a mailbox of MESSAGES messages (about 4 KB each, 10% multipart);
 *  2. SEARCH TEXT over it (a word in 1% of the messages) and SEARCH FROM;
 *  3. the server's heap for IDLE_SESSIONS sessions idling in their INBOX (a second JVM,
 *     bench/ImapIdleClients.java, holds the client ends), and how long a delivery takes to reach all of them.
 * Passwords use cheap Argon2id parameters so that a thousand logins do not dominate the run.
 *
 * usage: java -cp CLASSPATH bench/ImapBench.java DATA_DIR MESSAGES IDLE_SESSIONS CLIENT_CLASSPATH
 */
public class ImapBench {

    static final String PASSWORD = "bench password";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int messages = Integer.parseInt(args[1]);
        int idleSessions = Integer.parseInt(args[2]);
        Files.createDirectories(data);
        Store store = Stores.open(StorageConfig.sqlite(data));
        store.settings().set("imap.allow_plaintext", "on");
        store.domains().add("bench.test", null);
        PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Parameters(1024, 1, 1));
        StoredPassword pw = StoredPassword.derive(hasher, PASSWORD);
        long reader = store.accounts().add("reader", "bench.test", pw.passwordHash(), pw.scramSha256()).id();
        long idler = store.accounts().add("idler", "bench.test", pw.passwordHash(), pw.scramSha256()).id();

        long fillStart = System.nanoTime();
        fill(store, reader, messages);
        for (int i = 0; i < 20; i++) {
            deliver(store, idler, message(new SplittableRandom(i), i, 1000));
        }
        System.out.printf("filled %d messages in %.1f s%n", messages, seconds(fillStart));

        ImapService imap = new ImapService(store, "mx.bench.test", null, new Authenticator(store.accounts(), hasher),
                new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()), data.resolve("spool"));
        Listener listener = Listener.builder("imap", new InetSocketAddress("127.0.0.1", 0), imap.handler(ListenerRole.IMAP))
                .limiter(new ConnectionLimiter(new ConnectionLimits(idleSessions + 100, idleSessions + 100)))
                .idleTimeout(Duration.ofMinutes(30)).build();
        listener.start();
        int port = listener.localAddress().getPort();

        try (Client c = new Client(port)) {
            c.command("LOGIN reader@bench.test \"" + PASSWORD + "\"");
            timed(c, "SELECT INBOX");
            for (int run = 1; run <= 3; run++) {
                timed(c, "FETCH 1:* (FLAGS ENVELOPE)");
            }
            for (int run = 1; run <= 3; run++) {
                timed(c, "SEARCH TEXT zebracorn");
            }
            timed(c, "SEARCH FROM sender7");
            timed(c, "SEARCH BODY \"no such words anywhere\"");
            timed(c, "UID FETCH 1:* (FLAGS)");
        }

        if (idleSessions > 0) {
            idle(store, listener, port, idler, idleSessions, args[3]);
        }
        listener.close();
        imap.close();
        store.close();
    }

    static void fill(Store store, long account, int messages) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < messages; i += 32) {
                        deliver(store, account, message(new SplittableRandom(i), i, 4000));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or "
            + "one had by word but not what all were we when your can said there use an each which she do how their if "
            + "will up other about out many then them these so some her would make like him into time has look two more").split(" ");

    static String message(SplittableRandom r, int i, int size) {
        StringBuilder body = new StringBuilder();
        while (body.length() < size) {
            for (int w = 0; w < 12; w++) {
                body.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            body.append("\r\n");
        }
        if (i % 100 == 42) {
            body.append("a zebracorn was seen here\r\n");
        }
        String header = "From: Sender " + (i % 50) + " <sender" + (i % 50) + "@example.test>\r\nTo: reader@bench.test\r\n"
                + "Subject: message number " + i + " about " + WORDS[r.nextInt(WORDS.length)] + "\r\n"
                + "Date: Mon, 6 May 2024 07:08:09 +0200\r\nMessage-ID: <" + i + "@example.test>\r\nMIME-Version: 1.0\r\n";
        if (i % 10 == 0) {
            return header + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                    + body + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>" + body + "</p>\r\n--b--\r\n";
        }
        return header + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body;
    }

    static int ids;

    static void deliver(Store store, long account, String message) {
        String id;
        synchronized (ImapBench.class) {
            id = "B" + (++ids);
        }
        store.accept(new AcceptRequest(id, "sender@example.test", TestContent.of(message),
                List.of(new AcceptRequest.LocalDelivery(account, "INBOX")), null, List.of(), false, null, null));
    }

    static void timed(Client c, String command) throws IOException {
        long start = System.nanoTime();
        long[] result = c.command(command);
        System.out.printf("%-40s %8.0f ms  %,10d octets  %,6d responses%n", command, (System.nanoTime() - start) / 1e6,
                result[0], result[1]);
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void idle(Store store, Listener listener, int port, long idler, int sessions, String clientClasspath)
            throws Exception {
        long before = heapAfterGc();
        Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss256k", "-cp", clientClasspath, "bench/ImapIdleClients.java", String.valueOf(port), String.valueOf(sessions),
                "idler@bench.test", PASSWORD).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
        OutputStream control = clients.getOutputStream();
        long start = System.nanoTime();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("idling")) {
            System.out.println("clients: " + line);
        }
        System.out.printf("%d sessions logged in, selected INBOX and started IDLE in %.1f s%n", sessions, seconds(start));
        long after = heapAfterGc();
        System.out.printf("server heap: %.1f MiB before, %.1f MiB with %d idle sessions: %.1f KiB per session "
                        + "(open connections: %d)%n", before / 1048576.0, after / 1048576.0, sessions,
                (after - before) / 1024.0 / sessions, listener.activeConnections());
        long pushed = System.nanoTime();
        deliver(store, idler, message(new SplittableRandom(99), 99, 1000));
        control.write("delivered\n".getBytes(StandardCharsets.US_ASCII));
        control.flush();
        while ((line = out.readLine()) != null && !line.startsWith("all")) {
            System.out.println("clients: " + line);
        }
        System.out.printf("a delivery reached all %d idling sessions in %.0f ms (%s)%n", sessions,
                (System.nanoTime() - pushed) / 1e6, line);
        control.close();
        clients.waitFor();
    }

    /** A raw client that counts the octets and responses of each command. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private int tag;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
            line();
        }

        long[] command(String command) throws IOException {
            String t = "B" + (++tag);
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long octets = 0;
            long responses = 0;
            while (true) {
                String l = line();
                octets += l.length() + 2;
                responses++;
                if (l.startsWith(t + " ")) {
                    if (!l.startsWith(t + " OK")) {
                        throw new IOException(l);
                    }
                    return new long[] {octets, responses - 1};
                }
                int open = l.lastIndexOf('{');
                if (l.endsWith("}") && open >= 0) {
                    long n = Long.parseLong(l.substring(open + 1, l.length() - 1));
                    in.skipNBytes(n);
                    octets += n;
                    responses--;
                }
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            if (c < 0) {
                throw new IOException("connection closed");
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
