package org.mailwarden.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/** The queue contract on PostgreSQL, plus claims racing from two nodes. */
class PostgresQueueTest extends QueueContractTest {

    @Override
    protected Store openStore() {
        return TestStores.postgresql();
    }

    @Test
    void twoNodesClaimingAtOnceNeverGetTheSameRecipient() throws Exception {
        StorageConfig config = TestStores.postgresqlConfig();
        try (Store a = Stores.open(config); Store b = Stores.open(config)) {
            for (int i = 0; i < 200; i++) {
                a.accept(new AcceptRequest("Q" + i, "s@example.test", null, List.of(), TestContent.of("m\r\n"),
                        List.of(new AcceptRequest.OutboundRecipient("r" + i + "@remote.test", null, null)), true, null, null));
            }
            ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Store> nodes = List.of(a, b, a, b);
                for (int w = 0; w < nodes.size(); w++) {
                    Store node = nodes.get(w);
                    String holder = "worker-" + w;
                    pool.submit(() -> {
                        List<QueuedMessage> got;
                        do {
                            got = node.queue().claimDue(holder, Instant.now(), Duration.ofMinutes(5), 7);
                            got.forEach(m -> m.recipients().forEach(r -> claimed.add(r.id())));
                        } while (!got.isEmpty());
                        return null;
                    });
                }
            }
            List<Long> ids = new ArrayList<>(claimed);
            assertThat(ids).hasSize(200).doesNotHaveDuplicates();
        }
    }
}
