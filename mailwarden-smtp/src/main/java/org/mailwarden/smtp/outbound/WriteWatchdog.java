package org.mailwarden.smtp.outbound;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds blocking writes, which Java sockets cannot time out by themselves: while armed, the socket is
 * closed when no write made progress for the whole timeout, so a next hop that stops reading mid-DATA
 * fails the write instead of holding the worker for ever.
 */
final class WriteWatchdog {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-client-write-watchdog");
        t.setDaemon(true);
        return t;
    });

    private WriteWatchdog() {
    }

    /** A running watch over one socket; call {@link #progress()} after each write. */
    static final class Armed implements AutoCloseable {
        private final AtomicLong writes = new AtomicLong();
        private final ScheduledFuture<?> check;
        private volatile boolean fired;

        private Armed(Socket socket, Duration timeout) {
            long[] seen = {-1};
            this.check = TIMER.scheduleAtFixedRate(() -> {
                long now = writes.get();
                if (now == seen[0]) {
                    fired = true;
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // Closing is all we can do; the blocked write now fails.
                    }
                }
                seen[0] = now;
            }, timeout.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void progress() {
            writes.incrementAndGet();
        }

        /** Whether the watchdog closed the socket. */
        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            check.cancel(false);
        }
    }

    static Armed arm(Socket socket, Duration timeout) {
        return new Armed(socket, timeout);
    }
}
