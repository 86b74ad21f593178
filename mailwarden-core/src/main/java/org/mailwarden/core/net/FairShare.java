package org.mailwarden.core.net;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps sessions that always find their client's input waiting (a client pipelining without pause, a body
 * or literal streaming in) to a share of the carrier threads, so that accepting, greeting and serving
 * everyone else never waits behind them. Every session reads through a {@link LineReader}, which calls
 * {@link #busy()} for each line or buffer of input it found already waiting, and {@link #pause()} before each
 * read or write that may wait for the network.
 *
 * <p>Why: a virtual thread runs until it blocks, and the JDK's scheduler (a ForkJoinPool) drains a carrier's
 * local queue, and then the submission queue it last took from, before it looks elsewhere. {@link
 * Thread#yield()} puts a thread back on the local queue, so pipelining sessions yielding to one another kept
 * both carriers while a newly accepted connection, submitted from the acceptor thread, sat runnable and never
 * mounted: 12.9 s in the flood test. A timed park of a nanosecond re-enters through the pool's timer
 * submission queue, which a carrier likewise drains while the pipeliners keep refilling it.
 *
 * <p>So busy input needs a turn in a lane: a fair semaphore with half the processors' permits (at least
 * one), shared by all connections of the process. A turn ends after {@value #QUANTUM_NANOS} ns or at the
 * next read or write that may wait, whichever comes first; then the session queues behind the others that
 * are busy. Sessions that wait for their client between commands (every interactive client) never need a
 * turn, and the carriers the busy sessions cannot have are free for them and for new connections. Code
 * between two reads holds the turn (a store commit): that slows only the other busy sessions, and none of
 * them waits longer than {@link #MAX_WAIT_NANOS} for a turn (then it runs without one, as if there were no
 * lane), so a turn held too long can never stop the others. Code that sleeps on purpose (the error delay of
 * a failed command, the delay of a failed login) calls {@link #beforeWaiting()} first, so that a client
 * pipelining failures cannot hold the turn through its delays. On platform threads (tests, tools) the
 * operating system schedules and this does nothing.
 */
public final class FairShare {

    /** How long a busy session may run before the other busy sessions go first. */
    static final long QUANTUM_NANOS = 500_000;
    /**
     * The longest a busy session waits for its turn before it runs anyway. Long enough for a round of
     * hundreds of busy sessions on an overloaded machine (at 200 ms, in the long flood test, sessions gave up
     * waiting and ran without a turn, and a new client's greeting took 1.4 s); short enough that a turn held
     * across a slow store commit stalls the others only briefly.
     */
    static final long MAX_WAIT_NANOS = 2_000_000_000L;

    private static final Semaphore LANE =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
    private static final FairShare NONE = new FairShare(null);
    /** The share whose turn the current thread holds, if any. */
    private static final ThreadLocal<FairShare> HOLDER = new ThreadLocal<>();

    private final Semaphore lane;
    /** Whether this session holds a permit of the lane. */
    private final AtomicBoolean holding = new AtomicBoolean();
    /** Whether this session is in a turn (with a permit, or without after waiting too long for one). */
    private boolean inTurn;
    /** Whether the session answered its client (flushed) since its last turn: the next one is free. */
    private boolean answered;
    private long turnStarted;

    private FairShare(Semaphore lane) {
        this.lane = lane;
    }

    /** For the session of one server connection: shares the process-wide lane. */
    static FairShare forConnection() {
        return new FairShare(LANE);
    }

    /** For readers that are not server sessions (a client of another server, a parser in a test). */
    static FairShare none() {
        return NONE;
    }

    /**
     * Gives up the current session's turn, if it holds one, before it sleeps or waits for something other
     * than its socket: the other busy sessions go on meanwhile. Does nothing outside server sessions.
     */
    public static void beforeWaiting() {
        FairShare share = HOLDER.get();
        if (share != null) {
            share.pause();
        }
    }

    /** Permits of the lane free now (for tests: every session gives its turn back). */
    static int availableTurns() {
        return LANE.availablePermits();
    }

    /** The session found input waiting: it goes on in its turn, or waits for one. */
    void busy() {
        if (lane == null || !Thread.currentThread().isVirtual()) {
            return;
        }
        if (inTurn) {
            if (System.nanoTime() - turnStarted < QUANTUM_NANOS) {
                return;
            }
            pause();
        }
        inTurn = true;
        if (answered) {
            // the first quantum after an answer needs no permit: a client's request (an SMTP body after
            // 354, a command with its literal) is not held up behind the pipeliners
            answered = false;
            turnStarted = System.nanoTime();
            return;
        }
        try {
            if (lane.tryAcquire(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                holding.set(true);
                HOLDER.set(this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        turnStarted = System.nanoTime();
    }

    /** The session flushed its answers: its next quantum of busy input is free of the lane. */
    void answered() {
        answered = true;
    }

    /** The session may wait for the network, or is done: its turn, if it has one, goes to the next. */
    void pause() {
        inTurn = false;
        if (lane != null && holding.compareAndSet(true, false)) {
            lane.release();
            if (HOLDER.get() == this) {
                HOLDER.remove();
            }
        }
    }
}
