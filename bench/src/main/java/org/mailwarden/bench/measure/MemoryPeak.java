package org.mailwarden.bench.measure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest PSS of a server's process tree while something runs: a virtual thread reads it every
 * {@code periodMillis} until {@link #close()}, which returns the peak. Used to check that a server
 * streams a large message instead of holding it (its memory must not grow by the message's size).
 */
public final class MemoryPeak implements AutoCloseable {

    private final long root;
    private final AtomicLong peakKiB = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryPeak(long root, long periodMillis) {
        this.root = root;
        this.peakKiB.set(ProcessMemory.treePssKiB(root));
        this.sampler = Thread.ofVirtual().name("memory-peak").start(() -> {
            while (running) {
                peakKiB.accumulateAndGet(ProcessMemory.treePssKiB(root), Math::max);
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts sampling the tree under {@code root}. */
    public static MemoryPeak start(long root, long periodMillis) {
        return new MemoryPeak(root, periodMillis);
    }

    /** Stops sampling (after one last reading) and returns the peak in KiB. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
        peakKiB.accumulateAndGet(ProcessMemory.treePssKiB(root), Math::max);
    }

    public long peakKiB() {
        return peakKiB.get();
    }
}
