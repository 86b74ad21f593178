package org.mailwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.testing.TestStores;

/** The runtime snapshot follows the store's change counter: on demand at most every interval, or polled. */
class RuntimeConfigTest {

    @TempDir
    Path dir;

    @Test
    void onDemandReloadsWhenTheCounterMovedAndOnlyAfterTheInterval() {
        try (Store store = TestStores.sqlite(dir)) {
            AtomicLong nanos = new AtomicLong();
            RuntimeConfig runtime = RuntimeConfig.follow(store, nanos::get);
            RuntimeConfig.Snapshot first = runtime.current();
            assertThat(first.localDomains()).isEmpty();

            store.domains().add("example.test", null);
            store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
            store.settings().set("smtp.max_recipients", "7");
            nanos.addAndGet(100_000_000L);
            assertThat(runtime.current()).isSameAs(first); // within the interval nothing is read

            nanos.addAndGet(200_000_000L);
            RuntimeConfig.Snapshot second = runtime.current();
            assertThat(second.isLocalDomain("example.test")).isTrue();
            assertThat(second.relayRules().allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"));
            assertThat(second.settings()).containsEntry("smtp.max_recipients", "7");

            nanos.addAndGet(1_000_000_000L);
            assertThat(runtime.current()).isSameAs(second); // counter unchanged: same snapshot
        }
    }

    @Test
    void aViewIsDerivedOncePerSnapshot() {
        try (Store store = TestStores.sqlite(dir)) {
            AtomicLong nanos = new AtomicLong();
            RuntimeConfig runtime = RuntimeConfig.follow(store, nanos::get);
            AtomicInteger derivations = new AtomicInteger();
            RuntimeConfig.View<String> limit = runtime.view(s -> {
                derivations.incrementAndGet();
                return s.settings().getOrDefault("smtp.max_recipients", "100");
            });
            assertThat(limit.current()).isEqualTo("100");
            assertThat(limit.current()).isEqualTo("100");
            assertThat(derivations).hasValue(1);

            store.settings().set("smtp.max_recipients", "7");
            nanos.addAndGet(RuntimeConfig.POLL_INTERVAL.toNanos());
            assertThat(limit.current()).isEqualTo("7");
            assertThat(derivations).hasValue(2);
        }
    }

    @Test
    void aStartedConfigTellsItsListenersWithoutBeingAsked() {
        try (Store store = TestStores.sqlite(dir); RuntimeConfig runtime = RuntimeConfig.start(store)) {
            List<RuntimeConfig.Snapshot> seen = new CopyOnWriteArrayList<>();
            runtime.onChange(seen::add);
            store.domains().add("example.test", null);
            await().atMost(Duration.ofSeconds(2)).until(() -> !seen.isEmpty());
            assertThat(seen.getLast().isLocalDomain("example.test")).isTrue();
            assertThat(runtime.current()).isSameAs(seen.getLast());
        }
    }
}
