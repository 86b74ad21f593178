package org.mailwarden.smtp.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailwarden.store.Queue.Attempt;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the results of one attempt into queue state: delivered and failed recipients are finished, deferred
 * ones get their next time from the {@link RetrySchedule} (or fail when the message is too old), and
 * {@link NoticePolicy} says which notice becomes due. Commits them right away ({@link RecordBatcher}) — a
 * recipient the next hop accepted is durably delivered before the worker does anything else — and logs one line
 * per recipient: queue id, recipient, host, result and reply.
 */
final class AttemptRecorder {

    private static final Logger LOG = LoggerFactory.getLogger("org.mailwarden.smtp.outbound.delivery");

    private final RecordBatcher batcher;
    private final Clock clock;

    AttemptRecorder(RecordBatcher batcher, Clock clock) {
        this.batcher = batcher;
        this.clock = clock;
    }

    /**
     * Records {@code results}, one per recipient in {@code recipients}.
     *
     * @param relay          where the attempt went ({@code host[ip]:port}), or null when no host was reached
     * @param relayedWithDsn whether the next hop supports DSN (it was passed the NOTIFY parameters)
     */
    void record(QueuedMessage message, List<QueuedRecipient> recipients, List<DeliveryResult> results, String relay,
                boolean relayedWithDsn, RetrySchedule schedule) {
        Instant now = clock.instant();
        boolean delayDue = schedule.delayNoticeDue(message.created(), now);
        List<Attempt> attempts = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            QueuedRecipient r = recipients.get(i);
            DeliveryResult result = results.get(i);
            RecipientState state = switch (result.kind()) {
                case DELIVERED -> RecipientState.DELIVERED;
                case FAILED -> RecipientState.FAILED;
                case DEFERRED -> RecipientState.DEFERRED;
            };
            Instant next = null;
            String outcome = state.name().toLowerCase(Locale.ROOT);
            if (state == RecipientState.DEFERRED) {
                switch (schedule.afterFailure(r.attempts() + 1, message.created(), now)) {
                    case RetrySchedule.RetryAt at -> next = at.at();
                    case RetrySchedule.GiveUp g -> {
                        state = RecipientState.FAILED;
                        outcome = "expired";
                    }
                }
            }
            Notice notice = NoticePolicy.decide(message, r, state, delayDue, relayedWithDsn);
            attempts.add(new Attempt(r.id(), state, next, result.text(), result.remoteMta(), notice));
            LOG.info("delivery queue={} to=<{}> relay={} result={} attempt={} delay={}s{}{} reply=\"{}\"",
                    message.queueId(), r.address(), relay == null ? "none" : relay, outcome, r.attempts() + 1,
                    Duration.between(message.created(), now).toSeconds(),
                    next == null ? "" : " retry=" + next, notice == null ? "" : " notice=" + notice, result.text());
        }
        try {
            batcher.record(attempts);
        } catch (StoreException e) {
            // The claims run out and the recipients are tried again; a delivered one may then arrive twice.
            LOG.error("delivery queue={} results not recorded: {}", message.queueId(), e.getMessage());
        }
    }
}
