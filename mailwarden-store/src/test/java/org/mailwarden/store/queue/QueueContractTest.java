package org.mailwarden.store.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue;
import org.mailwarden.store.Queue.Attempt;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import org.mailwarden.store.Routes.RouteOptions;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;

/**
 * What delivery workers need from the queue, on each backend: claims that two workers never share, attempt
 * records, notices due and sent, removal of finished messages; and the route options they read.
 */
abstract class QueueContractTest {

    private static final Duration LEASE = Duration.ofMinutes(5);

    protected Store store;
    private Queue queue;

    protected abstract Store openStore();

    @BeforeEach
    void open() {
        store = openStore();
        queue = store.queue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void enqueue(String queueId, String... recipients) {
        store.accept(new AcceptRequest(queueId, "s@example.test", null, List.of(), TestContent.of(queueId + "\r\n"),
                java.util.Arrays.stream(recipients).map(r -> new AcceptRequest.OutboundRecipient(r, null, null)).toList(),
                true, null, null));
    }

    private static List<String> addresses(List<QueuedMessage> messages) {
        return messages.stream().flatMap(m -> m.recipients().stream()).map(QueuedRecipient::address).toList();
    }

    private QueuedRecipient recipient(String queueId, String address) {
        return queue.find(queueId).orElseThrow().recipients().stream().filter(r -> r.address().equals(address))
                .findFirst().orElseThrow();
    }

    @Test
    void aClaimedRecipientIsNotClaimedAgainUntilItsLeaseEnds() throws InterruptedException {
        enqueue("Q1", "a@remote.test", "b@remote.test");
        enqueue("Q2", "c@remote.test");

        List<QueuedMessage> first = queue.claimDue("node-a", Instant.now(), LEASE, 2);
        assertThat(addresses(first)).containsExactly("a@remote.test", "b@remote.test");
        assertThat(first.getFirst().queueId()).isEqualTo("Q1");
        assertThat(addresses(queue.claimDue("node-b", Instant.now(), LEASE, 10))).containsExactly("c@remote.test");
        assertThat(queue.claimDue("node-b", Instant.now(), LEASE, 10)).isEmpty();

        assertThat(queue.renewClaims("node-a", Duration.ofMillis(1))).isEqualTo(2);
        Thread.sleep(20);
        assertThat(addresses(queue.claimDue("node-b", Instant.now(), LEASE, 10)))
                .containsExactly("a@remote.test", "b@remote.test");

        queue.releaseClaims("node-b");
        assertThat(addresses(queue.claimDue("node-a", Instant.now(), LEASE, 10))).hasSize(3);
    }

    @Test
    void attemptsRecordStateAndEndTheClaim() {
        enqueue("Q1", "a@remote.test", "b@remote.test", "c@remote.test");
        Instant now = Instant.now();
        List<QueuedRecipient> claimed = queue.claimDue("node-a", now, LEASE, 10).getFirst().recipients();
        Instant later = now.plus(Duration.ofMinutes(5));
        queue.record(List.of(
                new Attempt(claimed.get(0).id(), RecipientState.DELIVERED, null, "250 2.0.0 ok", "mx.remote.test[127.0.0.1]", null),
                new Attempt(claimed.get(1).id(), RecipientState.DEFERRED, later, "451 4.3.0 later", "mx.remote.test[127.0.0.1]",
                        Notice.DELAYED),
                new Attempt(claimed.get(2).id(), RecipientState.FAILED, null, "550 5.1.1 no such user", "mx.remote.test[127.0.0.1]",
                        Notice.FAILED)));

        QueuedRecipient a = recipient("Q1", "a@remote.test");
        assertThat(a.state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(a.attempts()).isEqualTo(1);
        assertThat(a.lastReply()).isEqualTo("250 2.0.0 ok");
        assertThat(a.remoteMta()).isEqualTo("mx.remote.test[127.0.0.1]");
        assertThat(a.lastAttempt()).isNotNull();
        QueuedRecipient b = recipient("Q1", "b@remote.test");
        assertThat(b.state()).isEqualTo(RecipientState.DEFERRED);
        assertThat(b.nextAttempt()).isEqualTo(later.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(b.noticeDue()).isEqualTo(Notice.DELAYED);
        assertThat(b.delayNotified()).isTrue();
        assertThat(recipient("Q1", "c@remote.test").state()).isEqualTo(RecipientState.FAILED);

        // The deferred recipient is due again only at its next attempt; the finished ones never.
        assertThat(queue.claimDue("node-b", now.plus(Duration.ofMinutes(4)), LEASE, 10)).isEmpty();
        assertThat(addresses(queue.claimDue("node-b", later, LEASE, 10))).containsExactly("b@remote.test");

        // A late result for a finished recipient changes nothing.
        queue.record(List.of(new Attempt(a.id(), RecipientState.FAILED, null, "550 too late", null, Notice.FAILED)));
        assertThat(recipient("Q1", "a@remote.test").state()).isEqualTo(RecipientState.DELIVERED);
    }

    @Test
    void finishedMessagesAreRemovedOnlyAfterTheirNoticesAreSent() {
        enqueue("Q1", "a@remote.test", "b@remote.test");
        enqueue("Q2", "c@remote.test");
        List<QueuedMessage> claimed = queue.claimDue("node-a", Instant.now(), LEASE, 10);
        List<QueuedRecipient> q1 = claimed.get(0).recipients();
        queue.record(List.of(
                new Attempt(q1.get(0).id(), RecipientState.DELIVERED, null, "250 ok", null, null),
                new Attempt(q1.get(1).id(), RecipientState.FAILED, null, "550 no", null, Notice.FAILED)));
        assertThat(queue.removeFinished(10)).isEmpty();

        List<QueuedMessage> due = queue.noticesDue(10);
        assertThat(due).extracting(QueuedMessage::queueId).containsExactly("Q1");
        assertThat(addresses(due)).containsExactly("b@remote.test");
        queue.noticesSent(List.of(q1.get(1).id()));
        assertThat(queue.noticesDue(10)).isEmpty();

        assertThat(queue.removeFinished(10)).containsExactly("Q1");
        assertThat(queue.list()).extracting(QueuedMessage::queueId).containsExactly("Q2");
    }

    @Test
    void retryAllMakesEveryUnfinishedRecipientDue() {
        enqueue("Q1", "a@remote.test");
        enqueue("Q2", "b@remote.test");
        Instant now = Instant.now();
        for (QueuedMessage m : queue.claimDue("node-a", now, LEASE, 10)) {
            queue.record(List.of(new Attempt(m.recipients().getFirst().id(), RecipientState.DEFERRED,
                    now.plus(Duration.ofHours(1)), "421 busy", null, null)));
        }
        assertThat(queue.claimDue("node-a", Instant.now(), LEASE, 10)).isEmpty();
        assertThat(queue.retryAllNow()).isEqualTo(2);
        assertThat(addresses(queue.claimDue("node-a", Instant.now(), LEASE, 10))).hasSize(2);
    }

    @Test
    void aNoticeIsMarkedAsSuch() {
        store.accept(new AcceptRequest("N1", "", null, List.of(), TestContent.of("notice\r\n"),
                List.of(new AcceptRequest.OutboundRecipient("s@remote.test", null, "NEVER")), false, null, null, true));
        enqueue("Q1", "a@remote.test");
        assertThat(queue.find("N1").orElseThrow().notice()).isTrue();
        assertThat(queue.find("Q1").orElseThrow().notice()).isFalse();
    }

    @Test
    void routesAndTheSmarthostKeepTheirOptions() {
        RouteOptions auth = new RouteOptions(true, "relay-user", "s3cret");
        store.routes().put("partner.test", new HostPort("127.0.0.1", 2626), auth);
        store.routes().put("other.test", new HostPort("mx.other.test", 25));
        assertThat(store.routes().find("partner.test").orElseThrow().options()).isEqualTo(auth);
        assertThat(store.routes().list()).extracting(Route::options).containsExactly(RouteOptions.NONE, auth);
        assertThat(auth.toString()).doesNotContain("s3cret");

        assertThat(store.routes().smarthostOptions()).isEmpty();
        store.routes().setSmarthost(new HostPort("relay.isp.test", 587), auth);
        assertThat(store.routes().smarthostOptions()).contains(auth);
        store.routes().setSmarthost(new HostPort("relay.isp.test", 25));
        assertThat(store.routes().smarthostOptions()).contains(RouteOptions.NONE);
        store.routes().setSmarthost(null);
        assertThat(store.routes().smarthostOptions()).isEmpty();
    }
}
