package org.mailwarden.admin.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.DoubleSupplier;
import org.mailwarden.core.metrics.Metrics;

/**
 * The server's one metrics registry: Micrometer with a Prometheus registry behind it, with the JVM's own
 * metrics (memory, garbage collection, threads, class loading, CPU, uptime, open files) bound at creation.
 * The server wiring creates one, hands it to every protocol service as {@link Metrics}, and to
 * {@link AdminHttpServer}, which serves {@link #scrape()} at {@code /metrics}.
 */
public final class PrometheusMetrics implements Metrics, AutoCloseable {

    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public Metrics.Counter counter(String name, String description, String... tags) {
        // Metrics.Counter shadows Micrometer's Counter inside this class, hence the full name.
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(name).description(description).tags(tags).register(registry);
        return new Metrics.Counter() {
            @Override
            public void increment() {
                counter.increment();
            }

            @Override
            public void increment(long amount) {
                counter.increment(amount);
            }
        };
    }

    @Override
    public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        // Micrometer holds a gauge's state weakly by default; a lambda would be collected at once.
        Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).tags(tags)
                .strongReference(true).register(registry);
    }

    /** For code that wants Micrometer's own API (timers, distribution summaries). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
