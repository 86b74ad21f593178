package org.mailwarden.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/**
 * What only the embedded store has to prove: its files survive a restart and a killed process, two
 * processes (server and CLI) can use one data directory at once, and blob segments roll over.
 */
class SqliteDurabilityTest {

    @TempDir
    Path dataDir;

    private static Store open(Path dir) {
        return Stores.open(StorageConfig.sqlite(dir));
    }

    private static AcceptRequest local(String id, MessageContent body, long accountId) {
        return new AcceptRequest(id, "", body, List.of(new AcceptRequest.LocalDelivery(accountId, "INBOX")),
                null, List.of(), false, null, null);
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Message-ID to body, for every message in the account's INBOX. */
    private static Map<String, String> inboxBodies(Store store, long accountId) throws IOException {
        long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
        Map<String, String> out = new HashMap<>();
        for (MessageEntry m : store.mailboxes().messages(inbox)) {
            String body = text(store.mailboxes().openBody(m));
            out.put(body.substring("Message-ID: <".length(), body.indexOf('>')), body);
        }
        return out;
    }

    private static long newAccount(Store store) {
        store.domains().add("example.test", "EX");
        return store.accounts().add("alice", "example.test", "hash", null).id();
    }

    @Test
    void everythingIsThereAfterARestart() throws IOException {
        long accountId;
        long counter;
        try (Store store = open(dataDir)) {
            accountId = newAccount(store);
            store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
            store.accept(local("R1", StoreWriterProcess.body("R1"), accountId));
            store.accept(local("R2", TestContent.generated(3_000_000, 7), accountId));
            counter = store.changeCounter();
        }
        assertThat(dataDir.resolve("mailwarden.db")).exists();
        assertThat(dataDir.resolve("blobs/seg-000001.dat")).exists();

        try (Store store = open(dataDir)) {
            assertThat(store.changeCounter()).isEqualTo(counter);
            assertThat(store.domains().findByShortName("ex")).isPresent();
            assertThat(store.relayRules().current().allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"));
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            List<MessageEntry> messages = store.mailboxes().messages(inbox);
            assertThat(messages).hasSize(2);
            assertThat(text(store.mailboxes().openBody(messages.get(0)))).isEqualTo(text(StoreWriterProcess.body("R1").open()));
            try (InputStream stored = store.mailboxes().openBody(messages.get(1));
                 InputStream expected = TestContent.generatedStream(3_000_000, 7)) {
                assertThat(stored).hasSameContentAs(expected);
            }
            // New UIDs continue after the old ones.
            assertThat(store.accept(local("R3", StoreWriterProcess.body("R3"), accountId)).delivered().getFirst().uid())
                    .isEqualTo(3);
        }
    }

    @Test
    void smallBodiesLiveInTheDatabaseAndLargeOnesInSegments() throws Exception {
        long limit = TieredBlobStore.DEFAULT_INLINE_LIMIT;
        long accountId;
        try (Store store = open(dataDir)) {
            accountId = newAccount(store);
            store.accept(local("AT", TestContent.generated(limit, 1), accountId));
            assertThat(dataDir.resolve("blobs/seg-000001.dat")).doesNotExist();
            store.accept(local("ABOVE", TestContent.generated(limit + 1, 2), accountId));
            assertThat(dataDir.resolve("blobs/seg-000001.dat")).hasSize(limit + 1);
        }
        try (Store store = open(dataDir)) {
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            List<MessageEntry> messages = store.mailboxes().messages(inbox);
            assertThat(messages).extracting(MessageEntry::size).containsExactly(limit, limit + 1);
            for (int i = 0; i < 2; i++) {
                MessageEntry m = messages.get(i);
                try (InputStream whole = store.mailboxes().openBody(m);
                     InputStream expected = TestContent.generatedStream(m.size(), i + 1)) {
                    assertThat(whole).hasSameContentAs(expected);
                }
                byte[] all = TestContent.generatedStream(m.size(), i + 1).readAllBytes();
                try (InputStream tail = store.mailboxes().openBody(m, m.size() - 1000, 1000)) {
                    assertThat(tail.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(all, all.length - 1000, all.length));
                }
            }
            // Expunging the inline body deletes its bytes with its row (segment bytes wait for compaction).
            store.mailboxes().expunge(inbox, List.of(messages.getFirst().uid()));
            assertThatThrownBy(() -> store.mailboxes().openBody(messages.getFirst()).close())
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        }
    }

    @Test
    void theWalIsCheckpointedWhileTheStoreIsOpen() throws Exception {
        // SQLite's own checkpoints are off; without the store's checkpointer these pages would stay in the
        // WAL until the last connection closes.
        try (Store store = open(dataDir)) {
            long accountId = newAccount(store);
            for (int i = 0; i < 40; i++) {
                store.accept(local("W" + i, TestContent.generated(100_000, i), accountId));
            }
            Path db = dataDir.resolve("mailwarden.db");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.size(db) < 4_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.size(db)).as("database file after the checkpoints").isGreaterThan(4_000_000);
        }
    }

    @Test
    void everyAcknowledgedMessageSurvivesAKilledProcess() throws Exception {
        long accountId;
        try (Store store = open(dataDir)) {
            accountId = newAccount(store);
        }
        Process writer = startWriter(accountId, "K", 100_000);
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = writer.inputReader(StandardCharsets.UTF_8)) {
            for (String line; acknowledged.size() < 200 && (line = out.readLine()) != null; ) {
                if (line.startsWith("STORED ")) {
                    acknowledged.add(line.substring(7));
                }
            }
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(200);

        try (Store store = open(dataDir)) {
            Map<String, String> bodies = inboxBodies(store, accountId);
            for (String id : acknowledged) {
                assertThat(bodies).containsKey(id);
                assertThat(bodies.get(id)).isEqualTo(text(StoreWriterProcess.body(id).open()));
            }
        }
    }

    @Test
    void aSecondProcessCanWriteAtTheSameTime() throws Exception {
        try (Store store = open(dataDir)) {
            long accountId = newAccount(store);
            Process writer = startWriter(accountId, "P", 100);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100; i++) {
                    String id = "S" + i;
                    pool.submit(() -> store.accept(local(id, StoreWriterProcess.body(id), accountId)));
                }
            }
            String output;
            try (InputStream in = writer.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("DONE");

            Map<String, String> bodies = inboxBodies(store, accountId);
            assertThat(bodies).hasSize(200);
            bodies.forEach((id, body) -> {
                try {
                    assertThat(body).isEqualTo(text(StoreWriterProcess.body(id).open()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            assertThat(store.mailboxes().messages(inbox)).extracting(MessageEntry::uid).doesNotHaveDuplicates();
        }
    }

    private Process startWriter(long accountId, String prefix, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName(), dataDir.toString(), Long.toString(accountId), prefix,
                Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    @Test
    void twoStoresOnOneDataDirectorySeeEachOthersChanges() throws Exception {
        try (Store server = open(dataDir); Store cli = open(dataDir)) {
            long before = server.changeCounter();
            cli.domains().add("example.test", null);
            assertThat(server.domains().find("example.test")).isPresent();
            assertThat(server.changeCounter()).isEqualTo(before + 1);

            Account alice = server.accounts().add("alice", "example.test", "hash", null);
            assertThat(cli.accounts().find("alice", "example.test")).contains(alice);

            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 40; i++) {
                    String id = "T" + i;
                    Store via = i % 2 == 0 ? server : cli;
                    pool.submit(() -> via.accept(local(id, StoreWriterProcess.body(id), alice.id())));
                }
            }
            assertThat(inboxBodies(server, alice.id())).hasSize(40).isEqualTo(inboxBodies(cli, alice.id()));
        }
    }

    @Test
    void segmentsRollOverAndStayReadable() throws IOException {
        long accountId;
        // Two writers on one directory take turns, so each must notice the other's roll-overs. No body is
        // inline here, so every one goes to a segment.
        try (Store first = JdbcStore.sqlite(dataDir, 64 * 1024, 0);
             Store second = JdbcStore.sqlite(dataDir, 64 * 1024, 0)) {
            accountId = newAccount(first);
            for (int i = 0; i < 20; i++) {
                (i % 3 == 0 ? second : first).accept(local("G" + i, TestContent.generated(10_000, i), accountId));
            }
            second.accept(local("HUGE", TestContent.generated(200_000, 99), accountId));
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("blobs"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("seg-")).count()).isGreaterThan(3);
        }
        try (Store store = open(dataDir)) {
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            List<MessageEntry> messages = store.mailboxes().messages(inbox);
            assertThat(messages).hasSize(21);
            for (int i = 0; i < 20; i++) {
                try (InputStream stored = store.mailboxes().openBody(messages.get(i));
                     InputStream expected = TestContent.generatedStream(10_000, i)) {
                    assertThat(stored).hasSameContentAs(expected);
                }
            }
            try (InputStream stored = store.mailboxes().openBody(messages.get(20));
                 InputStream expected = TestContent.generatedStream(200_000, 99)) {
                assertThat(stored).hasSameContentAs(expected);
            }
        }
    }

    @Test
    void aRollOverInsideOneGroupCommitLosesNothing() throws Exception {
        // Many concurrent accepts land in one batch; with small segments the batch itself crosses several
        // roll-overs, and every earlier segment must still be flushed and readable.
        long accountId;
        try (Store store = JdbcStore.sqlite(dataDir, 32 * 1024, 0)) {
            accountId = newAccount(store);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int n = i;
                    done.add(pool.submit(() -> store.accept(local("R" + n, TestContent.generated(10_000, n), accountId))));
                }
                for (var f : done) {
                    f.get();
                }
            }
        }
        try (Store store = open(dataDir)) {
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            List<MessageEntry> messages = store.mailboxes().messages(inbox);
            assertThat(messages).hasSize(60);
            for (MessageEntry m : messages) {
                try (InputStream stored = store.mailboxes().openBody(m)) {
                    assertThat(stored.readAllBytes()).hasSize(10_000);
                }
            }
        }
    }

    @Test
    void aFullDiskIsReportedAndStoresNothing() throws IOException {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "needs Linux /dev/full");
        long accountId;
        try (Store store = open(dataDir)) {
            accountId = newAccount(store);
        }
        // Every write to /dev/full fails with ENOSPC, exactly like a full disk. Only a body too large to be
        // inline goes to the segment.
        Files.createSymbolicLink(dataDir.resolve("blobs/seg-000001.dat"), devFull);
        try (Store store = open(dataDir)) {
            MessageContent large = TestContent.generated(TieredBlobStore.DEFAULT_INLINE_LIMIT + 1, 5);
            assertThatThrownBy(() -> store.accept(local("F1", large, accountId)))
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.DISK_FULL))
                    .hasMessageContaining("disk is full");
            long inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow().id();
            assertThat(store.mailboxes().messages(inbox)).isEmpty();
            assertThat(store.mailboxes().find(accountId, "INBOX").orElseThrow().uidNext()).isEqualTo(1);
        }
    }

    @Test
    void storesOpenedTogetherOnAFreshDirectoryMigrateOnce() throws Exception {
        List<Store> stores = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = pool.submit(() -> open(dataDir));
            var b = pool.submit(() -> open(dataDir));
            stores.add(a.get());
            stores.add(b.get());
        }
        try {
            stores.get(0).domains().add("example.test", null);
            assertThat(stores.get(1).domains().list()).hasSize(1);
            assertThat(Set.copyOf(stores.stream().map(Store::changeCounter).toList())).hasSize(1);
        } finally {
            stores.forEach(Store::close);
        }
    }
}
