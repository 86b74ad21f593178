package org.mailwarden.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue.Attempt;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/** {@code mailwarden queue ...} against a real SQLite store, as an administrator would use it. */
class QueueCommandTest {

    @TempDir
    Path dataDir;

    private Store store;
    private CliRunner cli;

    @BeforeEach
    void open() throws Exception {
        store = Stores.open(StorageConfig.sqlite(dataDir));
        Path config = dataDir.resolve("mailwarden.toml");
        Files.writeString(config, "data_dir = \"" + dataDir + "\"\n");
        cli = new CliRunner(config);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private CliRunner.Result run(String... args) {
        return cli.run(args);
    }

    private void queue(String id, String sender, String body, String... recipients) {
        store.accept(new AcceptRequest(id, sender, null, List.of(), TestContent.of(body),
                java.util.Arrays.stream(recipients).map(r -> new AcceptRequest.OutboundRecipient(r, null, null)).toList(),
                true, null, null));
    }

    /** Records one failed attempt for the first recipient of every due message, as a delivery worker would. */
    private void deferAll(String reply) {
        for (QueuedMessage m : store.queue().claimDue("test", Instant.now(), Duration.ofMinutes(5), 100)) {
            store.queue().record(List.of(new Attempt(m.recipients().getFirst().id(), RecipientState.DEFERRED,
                    Instant.now().plus(Duration.ofHours(1)), reply, "mx.remote.test[192.0.2.25]", null)));
        }
    }

    @Test
    void listSaysSoWhenTheQueueIsEmpty() {
        CliRunner.Result r = run("queue", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("the mail queue is empty\n");
    }

    @Test
    void listShowsEachMessageWithItsRecipientsAndWhyTheyWait() {
        queue("QAAA", "alice@example.test", "Subject: one\r\n\r\nx\r\n", "bob@remote.test", "carol@remote.test");
        deferAll("451 4.3.0 mailbox busy");
        queue("QBBB", "", "Subject: two\r\n\r\ny\r\n", "dave@other.test");
        CliRunner.Result r = run("queue", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("QUEUE ID", "QAAA", "<alice@example.test>", "QBBB", "<>")
                .containsPattern("bob@remote.test\\s+deferred\\s+next \\S+ \\S+ UTC\\s+451 4.3.0 mailbox busy")
                .containsPattern("carol@remote.test\\s+waiting")
                .endsWith("-- 2 messages, 3 recipients waiting\n");
    }

    @Test
    void showPrintsTheEnvelopeTheRecipientsAndTheHeadersSafely() {
        queue("QSHOW", "alice@example.test", "Subject: hello\u001b[31m\r\nFrom: alice@example.test\r\n\r\nsecret body\r\n",
                "bob@remote.test");
        deferAll("421 4.4.2 timeout");
        CliRunner.Result r = run("queue", "show", "QSHOW");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("queue id:", "QSHOW", "sender:", "<alice@example.test> (gets delivery status notices)",
                        "recipient:", "bob@remote.test", "deferred, 1 attempt", "last reply:", "421 4.4.2 timeout",
                        "at mx.remote.test[192.0.2.25]", "Subject: hello\\x1b[31m", "From: alice@example.test")
                .doesNotContain("secret body").doesNotContain("\u001b");
    }

    @Test
    void unknownIdsAreOneLineErrors() {
        CliRunner.Result r = run("queue", "show", "NOPE");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mailwarden: queue entry NOPE does not exist; it may have been delivered meanwhile"
                + " (see: mailwarden queue list)\n");
        assertThat(run("queue", "delete", "NOPE").status()).isEqualTo(1);
        assertThat(run("queue", "retry", "bad\tid").err()).contains("is not a queue id");
    }

    @Test
    void retryMakesWaitingRecipientsDueNow() {
        queue("QR1", "alice@example.test", "Subject: r\r\n\r\nx\r\n", "bob@remote.test");
        queue("QR2", "alice@example.test", "Subject: r\r\n\r\nx\r\n", "carol@remote.test");
        deferAll("451 later");
        assertThat(store.queue().claimDue("test", Instant.now(), Duration.ofMinutes(5), 10)).isEmpty();

        CliRunner.Result one = run("queue", "retry", "QR1");
        assertThat(one.status()).isZero();
        assertThat(one.out()).isEqualTo("QR1: 1 recipient is due for delivery now\n");
        assertThat(store.queue().claimDue("test", Instant.now(), Duration.ofMinutes(5), 10))
                .extracting(QueuedMessage::queueId).containsExactly("QR1");

        CliRunner.Result all = run("queue", "retry", "--all");
        assertThat(all.out()).isEqualTo("2 recipients are due for delivery now\n");
        CliRunner.Result neither = run("queue", "retry");
        assertThat(neither.status()).isEqualTo(2);
        assertThat(neither.err()).contains("give a queue id or --all");
    }

    @Test
    void deleteRemovesTheMessage() {
        queue("QDEL", "alice@example.test", "Subject: d\r\n\r\nx\r\n", "bob@remote.test", "carol@remote.test");
        CliRunner.Result r = run("queue", "delete", "QDEL");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("deleted QDEL (2 recipients not delivered)\n");
        assertThat(store.queue().find("QDEL")).isEmpty();
    }
}
