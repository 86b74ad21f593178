package org.mailwarden.pop3;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailwarden.store.Locks;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive POP3 maildrop lock (RFC 1939 §4) as a lease in the store, so it holds across every
 * process and cluster node sharing the store. A session's lease is renewed in the background while the
 * session lives and released when it ends, however it ends; if the process dies, the lease expires after
 * its time to live. A renewal the store refuses means another session took the lease after it expired
 * (say, after the database was unreachable for longer than the TTL): the session is told, and must not
 * expunge. Thread-safe.
 */
final class MaildropLocks {

    private static final Logger LOG = LoggerFactory.getLogger(MaildropLocks.class);

    /** The default lease: long enough to ride out a short store outage, short enough after a crash. */
    static final Duration DEFAULT_TTL = Duration.ofMinutes(2);

    private final Locks locks;
    private final Duration ttl;
    private final String node = UUID.randomUUID().toString();

    MaildropLocks(Locks locks, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a maildrop lease needs at least one second");
        }
        this.locks = locks;
        this.ttl = ttl;
    }

    /** The lease name of an account's maildrop. */
    static String name(long accountId) {
        return "pop3/maildrop/" + accountId;
    }

    /**
     * Takes the maildrop lock of {@code accountId} for the session {@code sessionId}; empty when another
     * session holds it.
     *
     * @throws StoreException when the store cannot be asked
     */
    Optional<Lease> acquire(long accountId, String sessionId) {
        String name = name(accountId);
        String holder = node + "/" + sessionId;
        if (!locks.tryAcquire(name, holder, ttl)) {
            return Optional.empty();
        }
        return Optional.of(new Lease(name, holder));
    }

    /** One held maildrop lock; {@link #close()} releases it. */
    final class Lease implements AutoCloseable {
        private final String name;
        private final String holder;
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean lost;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(String name, String holder) {
            this.name = name;
            this.holder = holder;
            // Waits on a latch rather than being interrupted: an interrupt would close a database socket
            // or a shared file channel in the middle of a store call.
            Thread.ofVirtual().name("pop3-lease").start(this::renewUntilClosed);
        }

        private void renewUntilClosed() {
            Duration interval = ttl.dividedBy(4);
            try {
                while (!closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    renew();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void renew() {
            try {
                if (!locks.renew(name, holder, ttl) && !released.get()) {
                    lost = true;
                    LOG.warn("maildrop lock {} was lost (expired and taken by another session)", name);
                    closed.countDown();
                }
            } catch (RuntimeException e) {
                // The store may come back before the lease runs out; the next attempt will tell.
                LOG.warn("cannot renew maildrop lock {}: {}", name, e.toString());
            }
        }

        /**
         * Renews now and says whether the lease is still this session's: called before expunging, so a
         * session never deletes from a maildrop another session has opened meanwhile.
         */
        boolean confirm() {
            if (!lost) {
                renew();
            }
            return !lost;
        }

        /** Releases the lease; later calls do nothing. */
        @Override
        public void close() {
            closed.countDown();
            if (lost || !released.compareAndSet(false, true)) {
                return;
            }
            try {
                locks.release(name, holder);
            } catch (RuntimeException e) {
                LOG.warn("cannot release maildrop lock {}; it expires within {} s: {}", name, ttl.toSeconds(), e.toString());
            }
        }
    }
}
