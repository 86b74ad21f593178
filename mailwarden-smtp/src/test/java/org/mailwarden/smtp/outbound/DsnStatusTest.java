package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;

/** The Status field of a notice, from the recorded reply. */
class DsnStatusTest {

    private static String status(String reply, Notice notice) {
        QueuedRecipient r = new QueuedRecipient(1, "r@remote.test", null, null, RecipientState.FAILED, 1, Instant.EPOCH,
                reply, "mx[192.0.2.1]", Instant.EPOCH, notice, false);
        return DsnBuilder.status(r, notice);
    }

    @Test
    void theEnhancedCodeOfTheReplyIsTheStatus() {
        assertThat(status("550 5.1.1 no such user", Notice.FAILED)).isEqualTo("5.1.1");
        assertThat(status("5.3.4 message size 518 exceeds the limit", Notice.FAILED)).isEqualTo("5.3.4");
        assertThat(status("452 4.2.2 mailbox full", Notice.DELAYED)).isEqualTo("4.2.2");
    }

    @Test
    void aReplyWithoutAFittingEnhancedCodeGetsTheGenericOne() {
        assertThat(status("550 no such user", Notice.FAILED)).isEqualTo("5.0.0");
        assertThat(status("550 4.1.1 wrong class", Notice.FAILED)).isEqualTo("5.0.0");
        assertThat(status("451 try later", Notice.DELAYED)).isEqualTo("4.0.0");
        assertThat(status(null, Notice.DELAYED)).isEqualTo("4.0.0");
    }

    @Test
    void aFailureAfterTemporaryErrorsIsAnExpiredDelivery() {
        assertThat(status("451 4.3.0 try later", Notice.FAILED)).isEqualTo("4.4.7");
        assertThat(status("4.4.1 connect to mx: Connection refused", Notice.FAILED)).isEqualTo("4.4.7");
        assertThat(status("250 2.0.0 ok", Notice.RELAYED)).isEqualTo("2.0.0");
    }
}
