package org.mailwarden.imap.search;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the share of the machine that SEARCHes reading message content take. Sessions run on virtual
 * threads, which are not preempted: a search scanning ten thousand bodies would hold a carrier thread for
 * seconds, and two of them every core, while other sessions' FETCH, STORE and APPEND wait. So a content
 * search needs one of a few permits (half the cores, at least one) and gives it back after each slice of
 * work, yielding its carrier before it queues again (first come, first served), so interactive commands
 * and other searches get their turn between slices. A search that cannot get a permit within the
 * longest wait fails with {@link BusyException} rather than queueing without end.
 *
 * <pre>
 * try (ScanGate.Turn turn = gate.enter()) {
 *     for (Message m : messages) {
 *         turn.pause();   // after a slice, lets others run
 *         scan(m);
 *     }
 * }
 * </pre>
 */
public final class ScanGate {

    /** Too many searches were queued for too long. */
    public static final class BusyException extends Exception {
        BusyException(Duration waited) {
            super("no search slot within " + waited.toSeconds() + " s", null, false, false);
        }
    }

    private final Semaphore permits;
    private final long sliceNanos;
    private final Duration maxWait;

    /**
     * @param permits how many searches may scan at the same moment
     * @param slice   how long a search scans before it lets others run
     * @param maxWait how long a search waits for a permit before it gives up
     */
    public ScanGate(int permits, Duration slice, Duration maxWait) {
        if (permits < 1) {
            throw new IllegalArgumentException("a scan gate needs at least one permit, not " + permits);
        }
        this.permits = new Semaphore(permits, true);
        this.sliceNanos = slice.toNanos();
        this.maxWait = maxWait;
    }

    /** Half the cores (at least one) scan at a time, in slices of 20 ms, and none waits more than a minute. */
    public static ScanGate forThisMachine() {
        return new ScanGate(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), Duration.ofMillis(20),
                Duration.ofMinutes(1));
    }

    /** Waits for a permit (at most the longest wait); close the turn to give it back. */
    public Turn enter() throws BusyException, InterruptedIOException {
        Turn turn = new Turn();
        turn.acquire();
        return turn;
    }

    /** One search's use of the gate. */
    public final class Turn implements AutoCloseable {
        private boolean held;
        private long since;

        private Turn() {
        }

        /** Between two units of work: once the slice is used, gives the permit and the carrier to others. */
        public void pause() throws BusyException, InterruptedIOException {
            if (System.nanoTime() - since < sliceNanos) {
                return;
            }
            release();
            Thread.yield();
            acquire();
        }

        private void acquire() throws BusyException, InterruptedIOException {
            try {
                if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new BusyException(maxWait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to search");
            }
            held = true;
            since = System.nanoTime();
        }

        private void release() {
            if (held) {
                held = false;
                permits.release();
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
