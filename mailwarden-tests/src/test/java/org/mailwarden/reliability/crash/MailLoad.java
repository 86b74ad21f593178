package org.mailwarden.reliability.crash;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.reliability.harness.SmtpClient;
import org.mailwarden.reliability.harness.TestServerConfig;

/**
 * Concurrent senders for the crash test. Each client thread loops over sessions until stopped: on the
 * MTA port a stranger delivers to local users; on submission (STARTTLS, then AUTH PLAIN) and submissions
 * (implicit TLS, then AUTH PLAIN) a user sends to local users and to a foreign domain (into the outbound
 * queue). Every message carries a unique Message-ID and goes into the {@link Ledger} before its DATA,
 * and is marked acknowledged only when the 250 arrives. Clients come from distinct 127.0.1.x addresses.
 */
final class MailLoad {

    static final String DOMAIN = "example.test";
    static final String FOREIGN_DOMAIN = "remote.test";
    static final String PASSWORD = "crash test password 1";

    private final TestServerConfig server;
    private final List<String> users;
    private final Ledger ledger;
    private final String trial;
    private final double foreignShare;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** @param foreignShare the share of submitted messages that also go to a foreign recipient (0 to 1) */
    MailLoad(TestServerConfig server, List<String> users, Ledger ledger, String trial, double foreignShare) {
        this.server = server;
        this.users = users;
        this.ledger = ledger;
        this.trial = trial;
        this.foreignShare = foreignShare;
    }

    /** Starts {@code clients} sender threads; they run until {@link #stopAndJoin()}. */
    void start(int clients, long seed) {
        for (int i = 0; i < clients; i++) {
            int client = i;
            Random random = new Random(seed * 1000 + i);
            threads.add(Thread.ofVirtual().name("sender-" + i).start(() -> run(client, random)));
        }
    }

    /** Stops the senders (after the server is gone they fail fast) and waits for them. */
    void stopAndJoin() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(60));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within 60 s");
            }
        }
    }

    private void run(int client, Random random) {
        ListenerRole role = List.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS)
                .get(client % 3);
        InetAddress from = address(client);
        while (!stop.get()) {
            try (SmtpClient c = SmtpClient.connect(server.address(role), role.implicitTls(), from, Duration.ofSeconds(30))) {
                session(c, role, client, random);
            } catch (IOException e) {
                // the server was killed (or refused us): the message in flight was never acknowledged
                pause(random);
            } catch (RuntimeException e) {
                failures.add(Thread.currentThread().getName() + ": " + e.getMessage());
                return;
            }
        }
    }

    /** What went wrong other than the server dying: refused logins, permanent refusals. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void session(SmtpClient c, ListenerRole role, int client, Random random) throws IOException {
        if (c.reply().code() != 220) {
            throw new IOException("no greeting");
        }
        c.ehlo("client" + client + ".test");
        String user = users.get(client % users.size());
        String sender = "stranger" + client + "@" + FOREIGN_DOMAIN;
        if (role != ListenerRole.SMTP) {
            if (role == ListenerRole.SUBMISSION) {
                c.startTls();
                c.ehlo("client" + client + ".test");
            }
            SmtpClient.Reply auth = c.authPlain(user + "@" + DOMAIN, PASSWORD);
            if (auth.code() != 235) {
                throw new IllegalStateException("AUTH refused for " + user + ": " + auth);
            }
            sender = user + "@" + DOMAIN;
        }
        int messages = 1 + random.nextInt(20);
        for (int i = 0; i < messages && !stop.get(); i++) {
            send(c, role, sender, random);
        }
        c.command("QUIT");
    }

    private void send(SmtpClient c, ListenerRole role, String sender, Random random) throws IOException {
        String id = trial + "." + sequence.incrementAndGet() + "@crash.test";
        List<String> recipients = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        List<String> shuffled = new ArrayList<>(users);
        java.util.Collections.shuffle(shuffled, random);
        for (String u : shuffled.subList(0, 1 + random.nextInt(Math.min(3, users.size())))) {
            recipients.add(u + "@" + DOMAIN);
            locations.add(u + "@" + DOMAIN + "/INBOX");
        }
        if (role != ListenerRole.SMTP && random.nextDouble() < foreignShare) {
            recipients.add("someone" + random.nextInt(5) + "@" + FOREIGN_DOMAIN);
            locations.add(CrashVerdict.QUEUE);
        }
        byte[] octets = message(id, sender, recipients, random);
        ledger.sending(new Ledger.Sent(id, List.copyOf(locations), octets));
        SmtpClient.Reply reply = c.sendMessage(sender, recipients, octets);
        if (reply.code() == 250) {
            ledger.acknowledged(id);
        } else if (reply.code() / 100 == 5) {
            throw new IllegalStateException("message " + id + " refused permanently: " + reply);
        }
    }

    /** A message with a unique id and a body of a few hundred octets to about 300 KB, some lines dot-led. */
    private static byte[] message(String id, String sender, List<String> recipients, Random random) {
        StringBuilder m = new StringBuilder();
        m.append("Message-ID: <").append(id).append(">\r\n");
        m.append("From: <").append(sender).append(">\r\n");
        m.append("To: ").append(String.join(", ", recipients)).append("\r\n");
        m.append("Subject: crash test ").append(id).append("\r\n");
        m.append("Date: Fri, 27 Nov 2026 12:00:00 +0000\r\n\r\n");
        int lines = random.nextInt(10) == 0 ? 3000 + random.nextInt(1000) : 5 + random.nextInt(60);
        for (int i = 0; i < lines; i++) {
            if (i % 17 == 3) {
                m.append('.');
            }
            m.append(id).append(" line ").append(i).append(' ').append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static InetAddress address(int client) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (1 + client)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Random random) {
        try {
            Thread.sleep(20 + random.nextInt(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
