package org.mailwarden.smtp.server;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.mailwarden.store.Domains;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the current {@link PolicySnapshot}, reloading it from the store when the store's change
 * counter moved. Sessions ask at every command, so an administrator's change reaches open sessions at
 * their next command; the counter is read at most every {@code 250 ms}, which keeps the cost per command
 * near zero while staying well inside the two seconds a change may take. Shared by all sessions.
 */
final class PolicySource {

    private static final Logger LOG = LoggerFactory.getLogger(PolicySource.class);
    private static final long CHECK_INTERVAL_NANOS = 250_000_000L;

    private final Store store;
    private final LongSupplier clock;
    private volatile PolicySnapshot snapshot;
    private volatile long lastCheck;

    PolicySource(Store store) {
        this(store, System::nanoTime);
    }

    PolicySource(Store store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        this.snapshot = load(store.changeCounter());
        this.lastCheck = clock.getAsLong();
    }

    /** The snapshot to decide the next command with. */
    PolicySnapshot current() {
        long now = clock.getAsLong();
        if (now - lastCheck < CHECK_INTERVAL_NANOS) {
            return snapshot;
        }
        synchronized (this) {
            if (now - lastCheck >= CHECK_INTERVAL_NANOS) {
                lastCheck = now;
                try {
                    long counter = store.changeCounter();
                    if (counter != snapshot.version()) {
                        snapshot = load(counter);
                        LOG.info("policy reloaded: change counter {}, {} local domains, relay mode {}", counter,
                                snapshot.localDomains().size(), snapshot.rules().mode().word());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("policy reload failed, deciding with the previous snapshot (counter {}): {}",
                            snapshot.version(), e.toString());
                }
            }
            return snapshot;
        }
    }

    private PolicySnapshot load(long counter) {
        Set<String> domains = new HashSet<>();
        for (Domains.Domain d : store.domains().list()) {
            domains.add(d.name());
        }
        return new PolicySnapshot(counter, domains, store.relayRules().current(),
                SmtpSettings.from(store.settings().all()));
    }
}
