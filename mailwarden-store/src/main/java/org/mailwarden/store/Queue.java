package org.mailwarden.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbound queue: messages accepted for foreign recipients, with per-recipient delivery state.
 * Accept puts them here (see {@link Store#accept}); the delivery workers of the outbound issue claim,
 * update and finish them; the admin {@code queue} commands list, retry and delete them.
 */
public interface Queue {

    enum RecipientState { PENDING, DEFERRED, DELIVERED, FAILED }

    record QueuedRecipient(long id, String address, String orcpt, String dsnNotify, RecipientState state,
                           int attempts, Instant nextAttempt, String lastReply) {
    }

    record QueuedMessage(long id, String queueId, String sender, Instant created, long size, long blobId,
                         boolean notifyAllowed, String envid, String ret, List<QueuedRecipient> recipients) {
        public QueuedMessage {
            recipients = List.copyOf(recipients);
        }
    }

    List<QueuedMessage> list();

    Optional<QueuedMessage> find(String queueId);

    /** Streams the queued body: exactly {@code size} octets. */
    InputStream openBody(QueuedMessage message);

    /** Makes every unfinished recipient of the message due now; NOT_FOUND when there is no such message. */
    void retryNow(String queueId);

    /** Deletes the message and all its recipients; NOT_FOUND when there is no such message. */
    void delete(String queueId);
}
