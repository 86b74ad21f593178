package org.mailwarden.imap.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells idling IMAP sessions that their mailbox changed. One thread polls the store every interval
 * (250 ms by default) for the HIGHESTMODSEQ of every watched mailbox, in one query however many
 * sessions idle, so deliveries by SMTP and changes made on other cluster nodes arrive within the
 * interval; changes made by sessions of this process are announced at once with {@link #changed}.
 * The thread runs only while somebody watches. Thread-safe.
 */
public final class ChangeMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeMonitor.class);

    /** A registration; closing it stops the notifications. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Mailboxes mailboxes;
    private final Duration interval;
    private final Map<Long, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private Thread poller;
    private boolean closed;

    public ChangeMonitor(Mailboxes mailboxes, Duration interval) {
        this.mailboxes = mailboxes;
        this.interval = interval;
    }

    /**
     * Calls {@code onChange} (from the monitor's thread; it must return quickly) whenever mailbox
     * {@code mailboxId} changes after HIGHESTMODSEQ {@code knownModSeq}, which the caller has seen; at
     * once if the monitor already knows of a later change.
     */
    public Watch watch(long mailboxId, long knownModSeq, Runnable onChange) {
        watchers.computeIfAbsent(mailboxId, id -> new CopyOnWriteArraySet<>()).add(onChange);
        Long seen = lastSeen.putIfAbsent(mailboxId, knownModSeq);
        if (seen != null && seen != knownModSeq) {
            onChange.run();
        }
        ensurePolling();
        return () -> {
            Set<Runnable> set = watchers.get(mailboxId);
            if (set != null) {
                set.remove(onChange);
                if (set.isEmpty()) {
                    watchers.remove(mailboxId, set);
                    lastSeen.remove(mailboxId);
                }
            }
        };
    }

    /** Announces a change made in this process, so watchers need not wait for the next poll. */
    public void changed(long mailboxId) {
        fire(mailboxId);
    }

    private void fire(long mailboxId) {
        Set<Runnable> set = watchers.get(mailboxId);
        if (set != null) {
            for (Runnable r : set) {
                r.run();
            }
        }
    }

    private void ensurePolling() {
        synchronized (lock) {
            if (poller == null && !closed) {
                poller = Thread.ofVirtual().name("imap-change-monitor").start(this::run);
            }
        }
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                if (closed || watchers.isEmpty()) {
                    poller = null;
                    return;
                }
            }
            poll();
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                synchronized (lock) {
                    poller = null;
                }
                return;
            }
        }
    }

    private void poll() {
        List<Long> ids = List.copyOf(watchers.keySet());
        if (ids.isEmpty()) {
            return;
        }
        try {
            Set<Long> present = new java.util.HashSet<>();
            for (Mailbox m : mailboxes.get(ids)) {
                present.add(m.id());
                Long before = lastSeen.put(m.id(), m.highestModSeq());
                if (before != null && before != m.highestModSeq()) {
                    fire(m.id());
                }
            }
            for (Long id : ids) {
                if (!present.contains(id)) {
                    // deleted while watched: the sessions find out when they look
                    fire(id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot poll {} mailbox(es) for changes, retrying: {}", ids.size(), e.toString());
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            t = poller;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
