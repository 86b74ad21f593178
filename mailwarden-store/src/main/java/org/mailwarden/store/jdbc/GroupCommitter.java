package org.mailwarden.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable writes of new mail (SMTP accept, IMAP APPEND) with group commit. Callers hand in their bodies
 * and the rows to write; one committer thread takes every request waiting at that moment, writes the
 * bodies that live outside the database and flushes them once, then writes all rows (and the bodies
 * kept inside the database) in one transaction and only then releases the callers. N concurrent
 * messages cost one flush (the commit) when all bodies are inline, two when some are not, never N.
 * Each request runs inside its own savepoint, so one bad request fails alone.
 */
final class GroupCommitter implements AutoCloseable {

    /** The rows of one request, written inside the batch transaction once its bodies have blob ids. */
    @FunctionalInterface
    interface Rows<T> {
        T write(Connection c, List<StoredBody> bodies) throws SQLException, IOException;
    }

    /** A body recorded in the {@code blob} table. */
    record StoredBody(long blobId, long length) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int MAX_BATCH = 256;

    private final Database db;
    private final BlobStore blobs;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean closed;

    /** One caller's request and, once its rows are written, its outcome (released only after the commit). */
    private static final class Job<T> {
        final List<MessageContent> bodies;
        final Rows<T> rows;
        final CompletableFuture<T> done = new CompletableFuture<>();
        List<BlobStore.Staged> staged;
        T result;
        StoreException error;

        Job(List<MessageContent> bodies, Rows<T> rows) {
            this.bodies = bodies;
            this.rows = rows;
        }

        void writeRows(Connection c, List<StoredBody> stored) throws SQLException, IOException {
            result = rows.write(c, stored);
        }

        void release() {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(result);
            }
        }
    }

    private static final Job<Void> STOP = new Job<>(List.of(), (c, b) -> null);

    GroupCommitter(Database db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
        this.thread = Thread.ofPlatform().name("mailwarden-group-commit").daemon().start(this::run);
    }

    /** Writes {@code bodies} and then {@code rows} durably; returns when both are on stable storage. */
    <T> T submit(List<MessageContent> bodies, Rows<T> rows) {
        Job<T> job = new Job<>(bodies, rows);
        synchronized (queue) {
            // Nothing may be queued behind STOP, or its caller would wait for ever.
            if (closed) {
                throw closedException();
            }
            queue.add(job);
        }
        try {
            return job.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreException se) {
                // Rethrown in the caller's thread so its stack trace shows who asked.
                throw new StoreException(se.kind(), se.getMessage(), se);
            }
            throw e;
        }
    }

    private void run() {
        List<Job<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            if (!batch.isEmpty()) {
                try {
                    commit(batch);
                } catch (RuntimeException e) {
                    // A bug must not kill the committer, or every later caller would wait for ever.
                    LOG.error("group commit failed unexpectedly; {} request(s) refused", batch.size(), e);
                    fail(batch, e);
                }
            }
        }
    }

    private void commit(List<Job<?>> batch) {
        List<Job<?>> staged = new ArrayList<>(batch.size());
        try (BlobStore.Batch writer = blobs.batch()) {
            for (Job<?> job : batch) {
                try {
                    List<BlobStore.Staged> written = new ArrayList<>(job.bodies.size());
                    for (MessageContent body : job.bodies) {
                        written.add(writer.stage(body));
                    }
                    job.staged = written;
                    staged.add(job);
                } catch (IOException e) {
                    job.done.completeExceptionally(Database.translate(e));
                } catch (UncheckedIOException e) {
                    job.done.completeExceptionally(Database.translate(e.getCause()));
                } catch (StoreException e) {
                    job.done.completeExceptionally(e);
                }
            }
            writer.flush();
        } catch (IOException e) {
            fail(batch, Database.translate(e));
            return;
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        try {
            db.write(c -> {
                for (Job<?> job : staged) {
                    writeRows(c, job);
                }
                return null;
            });
        } catch (RuntimeException e) {
            fail(staged, e);
            return;
        }
        staged.forEach(Job::release);
        LOG.debug("group commit: {} of {} request(s) stored", staged.size(), batch.size());
    }

    /** One request's rows inside a savepoint: its own failure rolls back only its rows and becomes its outcome. */
    private void writeRows(Connection c, Job<?> job) throws SQLException {
        job.error = null;
        exec(c, "SAVEPOINT accept_one");
        try {
            List<StoredBody> stored = new ArrayList<>(job.staged.size());
            for (BlobStore.Staged s : job.staged) {
                stored.add(new StoredBody(blobs.record(c, s), s.length()));
            }
            job.writeRows(c, stored);
            exec(c, "RELEASE SAVEPOINT accept_one");
        } catch (SQLException | IOException | StoreException e) {
            StoreException error = switch (e) {
                case SQLException s -> db.translate(s);
                case IOException io -> Database.translate(io);
                case StoreException se -> se;
                default -> throw new IllegalStateException(e);
            };
            try {
                exec(c, "ROLLBACK TO SAVEPOINT accept_one");
                exec(c, "RELEASE SAVEPOINT accept_one");
            } catch (SQLException rollbackFailed) {
                // After some errors (SQLITE_FULL: an inline body on a full disk) SQLite has already rolled the
                // whole transaction back, savepoints included: the batch fails, with the error that says why.
                error.addSuppressed(rollbackFailed);
                throw error;
            }
            job.error = error;
        }
    }

    /** Fails every job of the list that has no outcome yet. */
    private static void fail(List<Job<?>> jobs, RuntimeException e) {
        for (Job<?> job : jobs) {
            job.done.completeExceptionally(e);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static StoreException closedException() {
        return new StoreException(StoreException.Kind.UNAVAILABLE, "the store is closed");
    }

    /** Finishes every request already submitted, then stops the committer thread. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
