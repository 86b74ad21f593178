package org.mailwarden.bench.measure;

import java.util.Arrays;

/**
 * Latency samples of one operation kind, in nanoseconds, safe to record from many threads. Percentiles
 * are exact (the samples are kept and sorted), which suits the bounded runs of the benchmark.
 */
public final class Latencies {

    private long[] samples = new long[1024];
    private int count;

    public synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    public synchronized int count() {
        return count;
    }

    /** The {@code p}-th percentile (0–100) in milliseconds, NaN without samples (nearest-rank method). */
    public synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }
}
