package org.mailwarden.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.Domains.Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrative state a running server decides with — relay rules, local domains, runtime settings —
 * as one immutable {@link Snapshot}, kept fresh by watching {@link Store#changeCounter()}. Administrators
 * change the store from the CLI, the REST API or another node; this is the one place every protocol learns
 * of it. A config made with {@link #follow} reads the counter when {@link #current()} is asked and the
 * last look is at least {@link #POLL_INTERVAL} old, so a session that asks at every command costs nearly
 * nothing and still sees a change well within two seconds; one made with {@link #start} reads it from a
 * background thread every interval, so that {@link #onChange} listeners hear of changes nobody asked for.
 * Protocols keep their own typed settings as a {@link #view}. A store that cannot be read keeps the last
 * good snapshot. Thread-safe.
 *
 * <pre>
 * RuntimeConfig runtime = RuntimeConfig.start(store);        // or follow(store): no thread, reloads on demand
 * RuntimeConfig.View&lt;Pop3Settings&gt; settings = runtime.view(s -&gt; Pop3Settings.from(s.settings()));
 * settings.current();                                          // parsed once per change, not once per call
 * </pre>
 */
public final class RuntimeConfig implements AutoCloseable {

    /**
     * How often the change counter is read; one cheap query, and well inside the two seconds an
     * administrative change may take to apply everywhere.
     */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    /** What sessions decide with; replaced as a whole, never changed in place. */
    public record Snapshot(long changeCounter, RelayRules relayRules, Set<String> localDomains,
                           Map<String, String> settings) {
        public Snapshot {
            Objects.requireNonNull(relayRules, "relayRules");
            localDomains = Set.copyOf(localDomains);
            settings = Map.copyOf(settings);
        }

        public boolean isLocalDomain(String domain) {
            return localDomains.contains(domain);
        }
    }

    /** A value derived from the current snapshot, computed again only when the snapshot changes. */
    @FunctionalInterface
    public interface View<T> {
        T current();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeConfig.class);

    private final Store store;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile Snapshot current;
    private volatile long lastCheck;
    private boolean failing;

    private RuntimeConfig(Store store, LongSupplier nanoClock, boolean background) {
        this.store = Objects.requireNonNull(store, "store");
        this.nanoClock = nanoClock;
        this.intervalNanos = POLL_INTERVAL.toNanos();
        this.current = load(store);
        this.lastCheck = nanoClock.getAsLong();
        this.poller = background ? Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("runtime-config").unstarted(r)) : null;
    }

    /** Loads the current state; later reloads happen when {@link #current()} is asked. No thread. */
    public static RuntimeConfig follow(Store store) {
        return follow(store, System::nanoTime);
    }

    /** As {@link #follow(Store)}, measuring the poll interval with {@code nanoClock} (for tests). */
    public static RuntimeConfig follow(Store store, LongSupplier nanoClock) {
        return new RuntimeConfig(store, nanoClock, false);
    }

    /** Loads the current state and polls the store every {@link #POLL_INTERVAL} until closed. */
    public static RuntimeConfig start(Store store) {
        RuntimeConfig config = new RuntimeConfig(store, System::nanoTime, true);
        long millis = POLL_INTERVAL.toMillis();
        config.poller.scheduleWithFixedDelay(config::reload, millis, millis, TimeUnit.MILLISECONDS);
        return config;
    }

    /**
     * The snapshot to decide with now. Without a background poller, the change counter is read first when
     * the last look is one interval old.
     */
    public Snapshot current() {
        if (poller == null && nanoClock.getAsLong() - lastCheck >= intervalNanos) {
            reloadIfDue();
        }
        return current;
    }

    /** {@code derive} applied to the current snapshot, remembered until the snapshot changes. */
    public <T> View<T> view(Function<Snapshot, T> derive) {
        Objects.requireNonNull(derive, "derive");
        return new View<>() {
            private volatile Derived<T> last;

            @Override
            public T current() {
                Snapshot now = RuntimeConfig.this.current();
                Derived<T> seen = last;
                if (seen == null || seen.from() != now) {
                    seen = new Derived<>(now, derive.apply(now));
                    last = seen;
                }
                return seen.value();
            }
        };
    }

    private record Derived<T>(Snapshot from, T value) {
    }

    /**
     * Calls {@code listener} with every new snapshot, from the thread that noticed the change (the
     * background poller of a started config), in the order of the changes.
     */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    private synchronized void reloadIfDue() {
        long now = nanoClock.getAsLong();
        if (now - lastCheck >= intervalNanos) { // another caller may have looked while this one waited
            lastCheck = now;
            reload();
        }
    }

    /** Reloads when the store's change counter moved; a store outage keeps the last good snapshot. */
    private synchronized void reload() {
        try {
            if (store.changeCounter() == current.changeCounter()) {
                recovered();
                return;
            }
            Snapshot next = load(store);
            current = next;
            recovered();
            LOG.info("runtime config reloaded: change {}, {} local domains, relay mode {}", next.changeCounter(),
                    next.localDomains().size(), next.relayRules().mode().word());
            for (Consumer<Snapshot> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("runtime config listener failed: {}", e.toString(), e);
                }
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("cannot reload the runtime config, keeping the last one (change {}): {}",
                        current.changeCounter(), e.toString());
            }
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("runtime config: the store answers again");
        }
    }

    // The counter is read first: a change made while loading moves it again and the next poll reloads.
    private static Snapshot load(Store store) {
        long counter = store.changeCounter();
        Set<String> domains = store.domains().list().stream().map(Domain::name).collect(Collectors.toSet());
        return new Snapshot(counter, store.relayRules().current(), domains, store.settings().all());
    }

    /** Stops the background poller of a started config; {@link #current()} then keeps the last snapshot. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
