package org.mailwarden.reliability.crash;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.reliability.harness.ImapClient;
import org.mailwarden.reliability.harness.TestServerConfig;

/**
 * Concurrent IMAP clients for the crash test, each working in its own two mailboxes over IMAPS: APPEND
 * new messages to the first, UID MOVE acknowledged ones to the second, and STORE \Deleted plus UID
 * EXPUNGE there, recording every step in the {@link MailboxLedger} before and after the server's OK.
 * Clients come from distinct 127.0.2.x addresses.
 */
final class ImapLoad {

    private final TestServerConfig server;
    private final List<String> users;
    private final MailboxLedger ledger;
    private final String trial;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    ImapLoad(TestServerConfig server, List<String> users, MailboxLedger ledger, String trial) {
        this.server = server;
        this.users = users;
        this.ledger = ledger;
        this.trial = trial;
    }

    static String mailbox(int client, boolean first) {
        return "crash" + client + (first ? "a" : "b");
    }

    void start(int clients, long seed) {
        for (int i = 0; i < clients; i++) {
            int client = i;
            Random random = new Random(seed * 1000 + i);
            threads.add(Thread.ofVirtual().name("imap-" + i).start(() -> run(client, random)));
        }
    }

    /** Operations acknowledged with OK so far. */
    int acknowledged() {
        return acknowledged.get();
    }

    void stopAndJoin() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(java.time.Duration.ofSeconds(60));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within 60 s");
            }
        }
    }

    /** What went wrong other than the server dying: refused logins, acknowledged messages not found. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void run(int client, Random random) {
        String user = users.get(client % users.size()) + "@" + MailLoad.DOMAIN;
        while (!stop.get()) {
            try (ImapClient c = ImapClient.openTls(server.address(ListenerRole.IMAPS), address(client))) {
                if (!c.command("LOGIN " + ImapClient.quote(user) + " " + ImapClient.quote(MailLoad.PASSWORD)).ok()) {
                    throw new IllegalStateException("LOGIN refused for " + user);
                }
                while (!stop.get()) {
                    step(c, client, user, random);
                }
                c.command("LOGOUT");
            } catch (IOException e) {
                pause(random); // the server was killed: the command in flight may or may not have happened
            } catch (RuntimeException e) {
                failures.add(Thread.currentThread().getName() + ": " + e.getMessage());
                return;
            }
        }
    }

    private void step(ImapClient c, int client, String user, Random random) throws IOException {
        Deque<String> first = ledger.first(client);
        Deque<String> second = ledger.second(client);
        String a = user + "/" + mailbox(client, true);
        String b = user + "/" + mailbox(client, false);
        double op = random.nextDouble();
        if (op < 0.5 || first.isEmpty() && second.isEmpty()) {
            String id = trial + "." + sequence.incrementAndGet() + "@imap.test";
            byte[] message = message(id, random);
            ledger.expect(id, message, a, MailboxLedger.GONE);
            if (c.append(mailbox(client, true), message).ok()) {
                ledger.narrow(id, a);
                first.add(id);
                acknowledged.incrementAndGet();
            } else {
                ledger.narrow(id, MailboxLedger.GONE);
            }
        } else if (op < 0.75 && !first.isEmpty()) {
            String id = first.poll();
            long uid = find(c, mailbox(client, true), id);
            ledger.widen(id, a, b);
            if (c.command("UID MOVE " + uid + " " + ImapClient.quote(mailbox(client, false))).ok()) {
                ledger.narrow(id, b);
                second.add(id);
                acknowledged.incrementAndGet();
            }
        } else if (!second.isEmpty()) {
            String id = second.poll();
            long uid = find(c, mailbox(client, false), id);
            ledger.widen(id, b, MailboxLedger.GONE);
            if (c.command("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)").ok()
                    && c.command("UID EXPUNGE " + uid).ok()) {
                ledger.narrow(id, MailboxLedger.GONE);
                acknowledged.incrementAndGet();
            }
        }
    }

    /** Selects {@code mailbox} and finds the one message with Message-ID {@code id}, which must be there. */
    private static long find(ImapClient c, String mailbox, String id) throws IOException {
        if (!c.command("SELECT " + ImapClient.quote(mailbox)).ok()) {
            throw new IllegalStateException("SELECT " + mailbox + " refused");
        }
        List<Long> uids = c.uidSearch("HEADER Message-ID " + ImapClient.quote("<" + id + ">"));
        if (uids.size() != 1) {
            throw new IllegalStateException("acknowledged message " + id + " found " + uids.size() + " times in " + mailbox);
        }
        return uids.getFirst();
    }

    private static byte[] message(String id, Random random) {
        StringBuilder m = new StringBuilder("Message-ID: <" + id + ">\r\nFrom: <x@remote.test>\r\nSubject: imap " + id
                + "\r\n\r\n");
        int lines = 3 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 40);
        for (int i = 0; i < lines; i++) {
            m.append(id).append(' ').append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static InetAddress address(int client) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 2, (byte) (1 + client)});
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
