package org.mailwarden.smtp.outbound;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;

/**
 * The jobs waiting for one destination (one lane key: the same hosts, port and route options) and the
 * count of workers serving it. Workers take jobs one after another over one connection, so a connection
 * carries every message queued for its destination; when the lane stays empty for the linger time the
 * worker leaves and its connection closes. The lane never has more workers than the per-host limit.
 */
final class Lane {

    /** One message's recipients for this destination: one mail transaction. */
    record Job(QueuedMessage message, List<QueuedRecipient> recipients, Router.Destination destination) {
        Job {
            recipients = List.copyOf(recipients);
        }
    }

    private final String key;
    private final Deque<Job> jobs = new ArrayDeque<>();
    private int workers;
    private int idle;
    private boolean closed;

    Lane(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    synchronized void add(Job job) {
        jobs.add(job);
        notifyAll();
    }

    /**
     * Counts in a new worker when one is wanted: jobs are waiting that no idle worker will take, and the
     * per-host limit allows another. The caller then starts it, or calls {@link #workerLeft()}.
     */
    synchronized boolean addWorker(int perHostLimit) {
        if (closed || jobs.size() <= idle || workers >= perHostLimit) {
            return false;
        }
        workers++;
        return true;
    }

    /**
     * The next job, waiting up to {@code lingerMillis} for one; null when there is none or the lane is
     * closed. A worker that stops taking jobs calls {@link #workerLeft()}.
     */
    synchronized Job take(long lingerMillis) throws InterruptedException {
        long deadline = System.nanoTime() + lingerMillis * 1_000_000;
        while (jobs.isEmpty() && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            idle++;
            try {
                wait(left);
            } finally {
                idle--;
            }
        }
        return closed ? null : jobs.poll();
    }

    synchronized void workerLeft() {
        workers--;
    }

    /** Removes and returns every waiting job (their destination is unreachable right now). */
    synchronized List<Job> drain() {
        List<Job> out = new ArrayList<>(jobs);
        jobs.clear();
        return out;
    }

    /** Whether nothing waits and nobody works here, so the lane can be forgotten. */
    synchronized boolean unused() {
        return jobs.isEmpty() && workers == 0;
    }

    /** Stops the lane: workers leave after their current job; waiting jobs stay claimed until released. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
