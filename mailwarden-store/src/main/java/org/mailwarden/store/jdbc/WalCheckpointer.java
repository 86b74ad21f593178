package org.mailwarden.store.jdbc;

import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from SQLite's write-ahead log into the database file on its own thread, every
 * half second. SQLite's automatic checkpoint (off: {@link Database#sqlite}) would run inside the COMMIT
 * that crosses 1,000 WAL pages, so the group commit that happened to cross it, and every caller waiting
 * on it, would also pay for writing those pages into the database file and flushing it. Bodies stored
 * inline make the WAL grow quickly, which made that a cost paid every few batches. A PASSIVE checkpoint
 * never blocks writers or readers; a crash during one loses nothing, since the WAL still holds the pages.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long INTERVAL_MS = 500;

    private final Database db;
    /** Only touched by the timer's one thread. */
    private boolean failing;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mailwarden-wal-checkpoint").daemon().factory());

    WalCheckpointer(Database db) {
        this.db = db;
        timer.scheduleWithFixedDelay(this::checkpoint, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
                return null;
            });
            if (failing) {
                failing = false;
                LOG.info("WAL checkpoints work again");
            }
        } catch (StoreException e) {
            // The WAL keeps the pages (and readers find them there); the next round tries again. A full disk
            // fails every round until space returns: one warning for the whole episode, not two a second.
            if (!failing) {
                failing = true;
                LOG.warn("WAL checkpoint failed ({}); retrying every {} ms, the pages stay in the WAL meanwhile",
                        e.getMessage(), INTERVAL_MS);
            } else {
                LOG.debug("WAL checkpoint failed again: {}", e.getMessage());
            }
        }
    }

    /** Stops the timer after the checkpoint in progress, if any; closing the last connection checkpoints the rest. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
