package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/**
 * Measures outbound throughput to a sink on loopback over 20 connections and prints it (the number goes
 * into the project notes; the test asserts only that everything arrived).
 */
class ThroughputTest {

    private static final int MESSAGES = 1000;

    @TempDir
    Path dir;

    @Test
    void deliversToASinkOverTwentyConnections() throws Exception {
        String body = "From: a@example.test\r\nTo: b@remote.test\r\nSubject: load\r\n\r\n" + "0123456789abcdef".repeat(150) + "\r\n";
        try (SmtpSink sink = SmtpSink.start(); Store store = TestStores.sqlite(dir)) {
            store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < MESSAGES; i++) {
                    String id = "T" + i;
                    pool.submit(() -> store.accept(new AcceptRequest(id, "a@example.test", null, List.of(), TestContent.of(body),
                            List.of(new AcceptRequest.OutboundRecipient("b" + id + "@remote.test", null, null)), false, null, null)));
                }
            }
            long start = System.nanoTime();
            try (DeliveryService service = DeliveryService.builder(store, "load.test")
                    .settings(() -> Map.of("outbound.max_connections", "20", "outbound.max_connections_per_host", "20"))
                    .pollInterval(Duration.ofMillis(20)).start()) {
                new Harness.Waiter().until(() -> sink.received().size() == MESSAGES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("outbound throughput: %d messages of %d octets in %.2f s = %.0f messages/s over %d connections%n",
                    MESSAGES, body.length(), seconds, MESSAGES / seconds, sink.connections());
            assertThat(sink.received()).hasSize(MESSAGES);
            assertThat(sink.connections()).isLessThanOrEqualTo(20 * 10);
        }
    }
}
