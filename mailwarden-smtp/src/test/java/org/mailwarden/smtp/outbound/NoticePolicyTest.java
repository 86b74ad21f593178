package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;

/** The backscatter rules, as a table: who gets which notice after which outcome. */
class NoticePolicyTest {

    private static QueuedMessage message(String sender, boolean notifyAllowed, boolean notice) {
        return new QueuedMessage(1, "Q1", sender, Instant.EPOCH, 10, 1, notifyAllowed, null, null, notice, List.of());
    }

    private static QueuedRecipient rcpt(String notify, boolean delayNotified) {
        return new QueuedRecipient(7, "r@remote.test", null, notify, RecipientState.PENDING, 0, Instant.EPOCH, null,
                null, null, null, delayNotified);
    }

    private static Notice decide(QueuedMessage m, QueuedRecipient r, RecipientState state) {
        return NoticePolicy.decide(m, r, state, true, false);
    }

    @Test
    void aVouchedForSenderHearsOfFailuresAndDelaysByDefault() {
        QueuedMessage m = message("alice@example.test", true, false);
        assertThat(decide(m, rcpt(null, false), RecipientState.FAILED)).isEqualTo(Notice.FAILED);
        assertThat(decide(m, rcpt(null, false), RecipientState.DEFERRED)).isEqualTo(Notice.DELAYED);
        assertThat(decide(m, rcpt(null, true), RecipientState.DEFERRED)).isNull();
        assertThat(NoticePolicy.decide(m, rcpt(null, false), RecipientState.DEFERRED, false, false)).isNull();
        assertThat(decide(m, rcpt(null, false), RecipientState.DELIVERED)).isNull();
    }

    @Test
    void notifyDecidesWhichNoticesTheSenderWants() {
        QueuedMessage m = message("alice@example.test", true, false);
        assertThat(decide(m, rcpt("NEVER", false), RecipientState.FAILED)).isNull();
        assertThat(decide(m, rcpt("SUCCESS", false), RecipientState.FAILED)).isNull();
        assertThat(decide(m, rcpt("FAILURE", false), RecipientState.DEFERRED)).isNull();
        assertThat(decide(m, rcpt("DELAY,FAILURE,SUCCESS", false), RecipientState.DELIVERED)).isEqualTo(Notice.RELAYED);
        assertThat(NoticePolicy.decide(m, rcpt("SUCCESS", false), RecipientState.DELIVERED, true, true)).isNull();
    }

    @Test
    void strangersAndTheNullSenderNeverGetANotice() {
        for (RecipientState s : RecipientState.values()) {
            assertThat(decide(message("spammer@elsewhere.test", false, false), rcpt("SUCCESS,FAILURE,DELAY", false), s)).isNull();
            assertThat(decide(message("", true, false), rcpt(null, false), s)).isNull();
            assertThat(decide(message("", false, false), rcpt(null, false), s)).isNull();
        }
    }

    @Test
    void aFailedNoticeGoesToThePostmasterAndNothingElseOfNoticesIsReported() {
        QueuedMessage notice = message("", false, true);
        assertThat(decide(notice, rcpt("NEVER", false), RecipientState.FAILED)).isEqualTo(Notice.FAILED);
        assertThat(decide(notice, rcpt(null, false), RecipientState.DEFERRED)).isNull();
        assertThat(decide(notice, rcpt("SUCCESS", false), RecipientState.DELIVERED)).isNull();
    }
}
