package org.mailwarden.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.mailwarden.bench.client.ImapClient;
import org.mailwarden.bench.client.ProtocolException;
import org.mailwarden.bench.scenario.Comparison;
import org.mailwarden.bench.servers.Endpoint;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * Prepares a user's INBOX with a given number of generated messages (message {@code n} is the same on
 * every server): through SMTP when the server speaks it, else through IMAP APPEND. What is already
 * there counts, so the reference servers' mailboxes are filled once and reused by later runs.
 */
public final class MailboxFiller {

    private static final int CONCURRENCY = 8;

    private MailboxFiller() {
    }

    /** Message {@code n}'s size: 2 to 8 KiB, spread evenly, about 5 KiB on average. */
    public static int size(int n) {
        return 2048 + (int) ((n * 7919L) % 6144);
    }

    /** Fills {@code user}'s INBOX on {@code target} up to {@code count} messages; returns the count reached. */
    public static int fill(Target target, String user, int count, Duration limit) throws IOException, InterruptedException {
        int current = target.inboxCount(user);
        if (current < 0) {
            throw new IOException("cannot count the messages of " + target.address(user) + " on " + target.name(Service.IMAP));
        }
        if (current >= count) {
            return current;
        }
        Comparison.progress("filling " + target.address(user) + " on " + target.name(Service.IMAP) + ": " + current + " → " + count + " messages");
        MessageGenerator generator = new MessageGenerator(target.address(user));
        long start = System.nanoTime();
        if (target.unavailable(Service.SMTP).isEmpty()) {
            SmtpLoad.Result r = SmtpLoad.run(target.endpoint(Service.SMTP), false, CONCURRENCY, count - current,
                    n -> generator.message(current + n, size(current + n)), target.address(user), limit);
            if (r.failed() > 0) {
                throw new IOException(r.failed() + " messages refused while filling the mailbox: " + r.firstError());
            }
        } else {
            append(target, user, current, count, generator, limit);
        }
        int reached = Landing.await(target, user, count, start, Duration.ofSeconds(60), limit).count();
        Comparison.progress(String.format(java.util.Locale.ROOT, "filled %s on %s: %d messages in %.0f s", target.address(user),
                target.name(Service.IMAP), reached, (System.nanoTime() - start) / 1e9));
        return reached;
    }

    private static void append(Target target, String user, int from, int to, MessageGenerator generator, Duration limit)
            throws IOException, InterruptedException {
        if (target.unavailable(Service.IMAP).isPresent()) {
            throw new IOException("neither SMTP nor IMAP is available to fill the mailbox");
        }
        Endpoint e = target.endpoint(Service.IMAP);
        AtomicInteger next = new AtomicInteger(from);
        AtomicReference<String> error = new AtomicReference<>();
        long deadline = System.nanoTime() + limit.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (ImapClient imap = ImapClient.connect(e.host(), e.port(), 60_000)) {
                    imap.login(target.address(user), target.password());
                    int n;
                    while ((n = next.getAndIncrement()) < to && System.nanoTime() < deadline) {
                        imap.append("INBOX", "", generator.message(n, size(n)));
                    }
                    imap.logout();
                } catch (IOException ex) {
                    error.compareAndSet(null, ex.getMessage());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (error.get() != null) {
            throw new ProtocolException("APPEND while filling the mailbox: " + error.get());
        }
    }
}
