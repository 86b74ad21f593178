package org.mailwarden.bench.load;

import java.time.Duration;
import org.mailwarden.bench.servers.Target;

/**
 * Waits until mail has really landed: the user's inbox, counted where the server stores it, holds the
 * expected number of messages. A server may answer 250 before delivery (Postfix queues first, then its
 * virtual(8) agent writes the Maildir file), so the benchmark counts mailboxes, not replies.
 */
public final class Landing {

    /** The count reached and the seconds since {@code startNanos} when it was seen. */
    public record Landed(int count, double seconds) {
    }

    private Landing() {
    }

    /**
     * Polls every 50 ms until {@code target}'s inbox of {@code user} holds {@code expected} messages, or the
     * count stops growing for {@code stall}, or {@code limit} passes.
     */
    public static Landed await(Target target, String user, int expected, long startNanos, Duration stall, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            int count = target.inboxCount(user);
            long now = System.nanoTime();
            if (count >= expected) {
                return new Landed(count, (now - startNanos) / 1e9);
            }
            if (count != last) {
                last = count;
                lastChange = now;
            }
            if (now > deadline || now - lastChange > stall.toNanos()) {
                return new Landed(count, (now - startNanos) / 1e9);
            }
            Thread.sleep(50);
        }
    }
}
