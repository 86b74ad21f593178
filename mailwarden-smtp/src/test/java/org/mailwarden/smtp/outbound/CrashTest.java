package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;
import org.mailwarden.store.testing.TestStores;

/**
 * kill -9 in the middle of a run of deliveries, then a restart: no recipient is lost, and no recipient that
 * was recorded as delivered is sent again. Only the few in flight at the kill (accepted by the sink, not yet
 * recorded) may arrive twice.
 */
class CrashTest {

    private static final int MESSAGES = 300;
    private static final long LEASE_MS = 1500;

    @TempDir
    Path dataDir;

    @Test
    void afterKill9AndRestartEveryRecipientArrivesAndNoneRecordedAsDeliveredArrivesTwice() throws Exception {
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> {
            if (verb.equals("DOT")) {
                sleep(5);
            }
            return null;
        };
        try (SmtpSink sink = SmtpSink.start(config)) {
            try (Store store = TestStores.sqlite(dataDir)) {
                store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < MESSAGES; i++) {
                        String id = "C" + i;
                        pool.submit(() -> store.accept(new AcceptRequest(id, "", null, List.of(),
                                TestContent.of("Subject: " + id + "\r\n\r\nx\r\n"),
                                List.of(new AcceptRequest.OutboundRecipient("r" + id + "@remote.test", null, null)), false,
                                null, null)));
                    }
                }
            }

            Process node = start();
            new Harness.Waiter().until(() -> sink.received().size() >= MESSAGES / 3);
            node.destroyForcibly();
            assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int beforeRestart = sink.received().size();
            assertThat(beforeRestart).isLessThan(MESSAGES);

            try (Store store = TestStores.sqlite(dataDir)) {
                // Whatever is not still pending was recorded as delivered before the kill (and maybe removed).
                Set<String> unfinished = store.queue().list().stream().flatMap(m -> m.recipients().stream())
                        .filter(r -> !r.finished()).map(QueuedRecipient::address)
                        .map(a -> "<" + a + ">").collect(Collectors.toSet());
                try (DeliveryService restarted = DeliveryService.builder(store, "restarted.test")
                        .settings(() -> Map.of("outbound.max_connections", "8")).pollInterval(Duration.ofMillis(20))
                        .timeouts(ClientTimeouts.all(Duration.ofSeconds(10))).start()) {
                    new Harness.Waiter().until(() -> store.queue().list().isEmpty());
                }
                List<String> all = new ArrayList<>();
                sink.received().forEach(r -> all.addAll(r.rcptTo()));
                Map<String, Integer> times = new HashMap<>();
                all.forEach(a -> times.merge(a, 1, Integer::sum));
                assertThat(times).hasSize(MESSAGES);
                List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                assertThat(unfinished).hasSizeLessThan(MESSAGES);
                assertThat(twice).hasSizeLessThanOrEqualTo(8);
                assertThat(unfinished).containsAll(twice);
                assertThat(times.values()).allMatch(n -> n <= 2);
                System.out.printf("crash test: %d received before kill -9, %d recorded as delivered, %d sent twice%n",
                        beforeRestart, MESSAGES - unfinished.size(), twice.size());
            }
        }
    }

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DeliveryProcess.class.getName(), dataDir.toString(), Long.toString(LEASE_MS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.contains("started")) {
            // log lines before the marker
        }
        return p;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
