package org.mailwarden.core.metrics;

import java.util.function.DoubleSupplier;

/**
 * Where protocol services count what they do, without knowing how the numbers are exported. The server
 * passes one instance to every service (backed by Micrometer and served as Prometheus text on the admin
 * listener's {@code /metrics}); tests and tools pass {@link #NONE}. Names are lower-case words joined by
 * dots, such as {@code mailwarden.smtp.messages.accepted}; Prometheus shows them with underscores, and
 * counters with a {@code _total} suffix. Tags are key, value pairs, such as {@code "listener", "submission"};
 * keep their values few (never an address or a client IP), since every distinct value is a new series.
 */
public interface Metrics {

    /** A number that only goes up. */
    interface Counter {
        void increment();

        void increment(long amount);
    }

    /** Discards everything. */
    Metrics NONE = new Metrics() {
        private static final Counter NO_COUNTER = new Counter() {
            @Override
            public void increment() {
            }

            @Override
            public void increment(long amount) {
            }
        };

        @Override
        public Counter counter(String name, String description, String... tags) {
            return NO_COUNTER;
        }

        @Override
        public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        }
    };

    /**
     * The counter with this name and these tags, created on first use; the same name and tags always give
     * the same counter, so callers may look it up each time or keep it.
     */
    Counter counter(String name, String description, String... tags);

    /** Registers a value sampled at each scrape, such as the number of open connections. */
    void gauge(String name, String description, DoubleSupplier value, String... tags);
}
