package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/** Two nodes delivering from one PostgreSQL queue: every recipient arrives exactly once. */
class PostgresDeliveryTest {

    @Test
    void twoNodesNeverDeliverTheSameRecipientTwice() throws Exception {
        StorageConfig config = TestStores.postgresqlConfig();
        int messages = 120;
        try (SmtpSink sink = SmtpSink.start(); Store a = Stores.open(config); Store b = Stores.open(config)) {
            a.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
            for (int i = 0; i < messages; i++) {
                a.accept(new AcceptRequest("PG" + i, "", null, List.of(), TestContent.of("Subject: " + i + "\r\n\r\nx\r\n"),
                        List.of(new AcceptRequest.OutboundRecipient("r" + i + "@remote.test", null, null),
                                new AcceptRequest.OutboundRecipient("s" + i + "@remote.test", null, null)),
                        false, null, null));
            }
            Map<String, String> settings = new HashMap<>(Map.of("outbound.max_connections", "4"));
            try (DeliveryService nodeA = node(a, "node-a.test", settings); DeliveryService nodeB = node(b, "node-b.test", settings)) {
                new Harness.Waiter().until(() -> a.queue().list().isEmpty());
            }
            List<String> delivered = new ArrayList<>();
            sink.received().forEach(r -> delivered.addAll(r.rcptTo()));
            assertThat(delivered).hasSize(2 * messages).doesNotHaveDuplicates();
            // Both nodes took part: the sink saw EHLO from each.
            assertThat(sink.commands()).anyMatch(c -> c.endsWith("EHLO node-a.test"))
                    .anyMatch(c -> c.endsWith("EHLO node-b.test"));
        }
    }

    private static DeliveryService node(Store store, String name, Map<String, String> settings) {
        return DeliveryService.builder(store, name).settings(() -> settings).pollInterval(Duration.ofMillis(20))
                .timeouts(ClientTimeouts.all(Duration.ofSeconds(10))).start();
    }
}
