package org.mailwarden.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/** Two nodes on one PostgreSQL database: changes, leases and UIDs are shared. */
class PostgresClusterTest {

    @Test
    void twoNodesShareOneDatabase() throws Exception {
        StorageConfig config = TestStores.postgresqlConfig();
        try (Store a = Stores.open(config); Store b = Stores.open(config)) {
            long before = b.changeCounter();
            a.domains().add("example.test", null);
            long alice = a.accounts().add("alice", "example.test", "hash", null).id();
            assertThat(b.accounts().find("alice", "example.test")).isPresent();
            assertThat(b.changeCounter()).isEqualTo(before + 2);

            assertThat(a.locks().tryAcquire("queue:Q1", "node-a", Duration.ofMinutes(1))).isTrue();
            assertThat(b.locks().tryAcquire("queue:Q1", "node-b", Duration.ofMinutes(1))).isFalse();

            List<Future<AcceptResult>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 40; i++) {
                    Store node = i % 2 == 0 ? a : b;
                    String id = "N" + i;
                    results.add(pool.submit(() -> node.accept(new AcceptRequest(id, "", TestContent.of(id + "\r\n"),
                            List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null))));
                }
            }
            List<Long> uids = new ArrayList<>();
            for (Future<AcceptResult> r : results) {
                uids.add(r.get().delivered().getFirst().uid());
            }
            assertThat(uids).doesNotHaveDuplicates().hasSize(40);
            long inbox = b.mailboxes().find(alice, "INBOX").orElseThrow().id();
            assertThat(b.mailboxes().messages(inbox)).hasSize(40);
        }
    }
}
