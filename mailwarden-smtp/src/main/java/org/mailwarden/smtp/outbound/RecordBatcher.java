package org.mailwarden.smtp.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.mailwarden.store.Queue;
import org.mailwarden.store.Queue.Attempt;

/**
 * Group commit for attempt records: workers that finish transactions at the same time share one store
 * transaction (one disk flush), instead of each paying its own. A worker still waits until its record is
 * committed before it goes on, so "delivered" is durable before the next transaction starts.
 */
final class RecordBatcher implements AutoCloseable {

    private static final int MAX_BATCH = 500;

    private record Pending(List<Attempt> attempts, CompletableFuture<Void> done) {
    }

    private final Queue queue;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread flusher;
    private volatile boolean open = true;

    RecordBatcher(Queue queue) {
        this.queue = queue;
        this.flusher = Thread.ofVirtual().name("outbound-record-flusher").start(this::flushLoop);
    }

    /** Records the attempts and returns once they are committed; throws what the store threw. */
    void record(List<Attempt> attempts) {
        if (!open) {
            queue.record(attempts);
            return;
        }
        Pending p = new Pending(attempts, new CompletableFuture<>());
        pending.add(p);
        try {
            p.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void flushLoop() {
        while (open || !pending.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = pending.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int size = batch.getFirst().attempts().size();
            Pending next;
            while (size < MAX_BATCH && (next = pending.poll()) != null) {
                batch.add(next);
                size += next.attempts().size();
            }
            List<Attempt> all = new ArrayList<>(size);
            batch.forEach(p -> all.addAll(p.attempts()));
            try {
                queue.record(all);
                batch.forEach(p -> p.done().complete(null));
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
        }
    }

    /** Flushes what is waiting and stops; later records go straight to the store. */
    @Override
    public void close() {
        open = false;
        try {
            flusher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
