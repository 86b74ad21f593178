import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client ends of many idling IMAP sessions, in their own JVM so that the server's heap is measured
 * alone: each logs in, selects INBOX and starts IDLE; prints "idling" when all are; after reading a line
 * on stdin it waits until every session has seen "EXISTS" and prints "all ..." with the slowest delay.
 *
 * usage: java bench/ImapIdleClients.java PORT SESSIONS USER PASSWORD
 */
public class ImapIdleClients {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int sessions = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>();
        CountDownLatch idle = new CountDownLatch(sessions);
        CountDownLatch pushed = new CountDownLatch(sessions);
        AtomicLong lastSeen = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Socket s = new Socket("127.0.0.1", port);
            sockets.add(s);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    line(in);
                    out.write(("a LOGIN " + args[2] + " \"" + args[3] + "\"\r\nb SELECT INBOX\r\nc IDLE\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    String l;
                    while (!(l = line(in)).startsWith("+ ")) {
                        if (l.startsWith("a NO") || l.startsWith("b NO")) {
                            throw new IOException(l);
                        }
                    }
                    idle.countDown();
                    while (!(l = line(in)).endsWith("EXISTS")) {
                        // FETCH or other updates
                    }
                    lastSeen.accumulateAndGet(System.nanoTime(), Math::max);
                    pushed.countDown();
                } catch (IOException e) {
                    System.out.println("session failed: " + e.getMessage());
                    idle.countDown();
                    pushed.countDown();
                }
            }));
        }
        idle.await();
        System.out.println("idling " + sessions);
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        control.readLine();
        long start = System.nanoTime();
        pushed.await();
        System.out.printf("all %d sessions saw EXISTS, the last %.0f ms after the notice%n", sessions,
                Math.max(0, lastSeen.get() - start) / 1e6);
        control.readLine();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static String line(InputStream in) throws IOException {
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
}
