package org.mailwarden.server;

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
import java.util.stream.Collectors;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.Domains.Domain;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrative state a running server decides with — relay rules, local domains, runtime settings —
 * as one immutable {@link Snapshot}, kept fresh by polling {@link Store#changeCounter()}. Administrators
 * change the store from the CLI, the REST API or another node; this class notices within one poll interval
 * and tells its listeners, which is how a running server applies a change without a restart.
 */
public final class RuntimeConfig implements AutoCloseable {

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

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfig.class);

    private final Store store;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile Snapshot current;
    private boolean failing;

    private RuntimeConfig(Store store) {
        this.store = store;
        this.current = load(store);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runtime-config");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the current state and starts polling the store every {@code interval}. */
    public static RuntimeConfig start(Store store, Duration interval) {
        RuntimeConfig config = new RuntimeConfig(store);
        config.poller.scheduleWithFixedDelay(config::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return config;
    }

    public Snapshot current() {
        return current;
    }

    /** Calls {@code listener} with every new snapshot, from the polling thread. */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /** Reloads when the store's change counter moved; a store outage keeps the last good snapshot. */
    void poll() {
        try {
            if (store.changeCounter() == current.changeCounter()) {
                recovered();
                return;
            }
            Snapshot next = load(store);
            current = next;
            recovered();
            log.info("runtime config reloaded: change {}, {} local domains, relay mode {}", next.changeCounter(),
                    next.localDomains().size(), next.relayRules().mode().word());
            for (Consumer<Snapshot> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    log.warn("runtime config listener failed: {}", e.toString(), e);
                }
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("cannot reload the runtime config, keeping the last one: {}", e.toString(), e);
            }
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            log.info("runtime config: the store answers again");
        }
    }

    // The counter is read first: a change made while loading moves it again and the next poll reloads.
    private static Snapshot load(Store store) {
        long counter = store.changeCounter();
        Set<String> domains = store.domains().list().stream().map(Domain::name).collect(Collectors.toSet());
        return new Snapshot(counter, store.relayRules().current(), domains, store.settings().all());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
