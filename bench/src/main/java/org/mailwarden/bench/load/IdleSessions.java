package org.mailwarden.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.mailwarden.bench.client.ImapClient;
import org.mailwarden.bench.servers.Endpoint;

/**
 * Holds many IMAP sessions idle: each connects, logs in, selects INBOX and enters IDLE, then waits. A
 * bounded number log in at once (a login costs an Argon2id hash on both servers); the sessions stay open
 * until {@link #close()}. Opening stops by itself at the count, at the first error or at the time limit.
 * {@link #awaitExistsInAll} measures the fan-out of a delivery to all of them.
 */
public final class IdleSessions implements AutoCloseable {

    private static final int LOGINS_AT_ONCE = 16;

    private final List<ImapClient> sessions = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<String> firstError = new AtomicReference<>();

    private IdleSessions() {
    }

    public static IdleSessions open(Endpoint endpoint, String user, String password, int count, Duration limit)
            throws InterruptedException {
        IdleSessions idle = new IdleSessions();
        Semaphore permits = new Semaphore(LOGINS_AT_ONCE);
        long deadline = System.nanoTime() + limit.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count && idle.firstError.get() == null && System.nanoTime() < deadline; i++) {
            permits.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    ImapClient imap = ImapClient.connect(endpoint.host(), endpoint.port(), 120_000);
                    try {
                        imap.login(user, password);
                        imap.select("INBOX");
                        imap.idle();
                        idle.sessions.add(imap);
                    } catch (IOException | RuntimeException e) {
                        imap.close();
                        throw e;
                    }
                } catch (IOException e) {
                    idle.firstError.compareAndSet(null, e.getMessage());
                } finally {
                    permits.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return idle;
    }

    public int size() {
        return sessions.size();
    }

    /**
     * Waits until every session has received a {@code * N EXISTS} (after a delivery to the mailbox they
     * idle in), one virtual thread per session; returns how many did within {@code limit}.
     */
    public int awaitExistsInAll(Duration limit) throws InterruptedException {
        AtomicInteger notified = new AtomicInteger();
        int millis = (int) limit.toMillis();
        List<Thread> waiters = new ArrayList<>();
        synchronized (sessions) {
            for (ImapClient imap : sessions) {
                waiters.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (imap.awaitUntagged(line -> ImapClient.existsCount(line) >= 0, millis)) {
                            notified.incrementAndGet();
                        }
                    } catch (IOException e) {
                        firstError.compareAndSet(null, e.getMessage());
                    }
                }));
            }
        }
        for (Thread t : waiters) {
            t.join();
        }
        return notified.get();
    }

    /** Why opening stopped early, or null. */
    public String firstError() {
        return firstError.get();
    }

    @Override
    public void close() {
        synchronized (sessions) {
            sessions.forEach(ImapClient::close);
            sessions.clear();
        }
    }
}
