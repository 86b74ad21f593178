package org.mailwarden.smtp.outbound;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** A delivery node in its own JVM, for the crash test: {@code DeliveryProcess DATA_DIR LEASE_MS}; runs until killed. */
public final class DeliveryProcess {

    private DeliveryProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Store store = TestStores.sqlite(Path.of(args[0]));
        DeliveryService.builder(store, "crashing.test").settings(() -> Map.of("outbound.max_connections", "8"))
                .lease(Duration.ofMillis(Long.parseLong(args[1]))).pollInterval(Duration.ofMillis(20))
                .timeouts(ClientTimeouts.all(Duration.ofSeconds(10))).start();
        System.out.println("started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
