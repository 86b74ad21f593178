package org.mailwarden.pop3;

import java.util.function.LongSupplier;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the current {@link Pop3Settings}, reloading them when the store's change counter moved. The
 * counter is read at most every 250 ms, so a session start costs nearly nothing while an administrator's
 * change reaches new sessions well within the two seconds it may take. A store that cannot be read keeps
 * the last settings. Shared by every session; thread-safe.
 */
final class SettingsSource {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsSource.class);
    private static final long CHECK_INTERVAL_NANOS = 250_000_000L;

    private final Store store;
    private final LongSupplier clock;
    private volatile Pop3Settings settings;
    private volatile long version;
    private volatile long lastCheck;

    SettingsSource(Store store) {
        this(store, System::nanoTime);
    }

    SettingsSource(Store store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        this.version = store.changeCounter();
        this.settings = Pop3Settings.from(store.settings().all());
        this.lastCheck = clock.getAsLong();
    }

    Pop3Settings current() {
        long now = clock.getAsLong();
        if (now - lastCheck < CHECK_INTERVAL_NANOS) {
            return settings;
        }
        synchronized (this) {
            if (now - lastCheck >= CHECK_INTERVAL_NANOS) {
                lastCheck = now;
                try {
                    long counter = store.changeCounter();
                    if (counter != version) {
                        settings = Pop3Settings.from(store.settings().all());
                        version = counter;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cannot reload the pop3 settings, keeping the previous ones: {}", e.toString());
                }
            }
            return settings;
        }
    }
}
