package org.mailwarden.smtp.outbound;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.mailwarden.core.address.RcptParameters.Notify;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;

/**
 * Which delivery status notice an attempt makes due — the anti-backscatter decision, pure and in one place.
 * Notices go only to senders the server vouched for when it accepted the mail ({@code notifyAllowed}: local
 * or authenticated senders, allowed networks), never to the null sender, and only as the recipient's
 * RFC 3461 NOTIFY asks (absent NOTIFY means FAILURE and DELAY). A notice that this server generated and
 * that fails goes to the postmaster; it never causes another notice to anyone else, and neither delays nor
 * successes of notices are reported.
 */
final class NoticePolicy {

    private static final Set<Notify> DEFAULT_NOTIFY = EnumSet.of(Notify.FAILURE, Notify.DELAY);

    private NoticePolicy() {
    }

    /**
     * @param state           the recipient's state after the attempt
     * @param delayDue        whether the message has waited long enough for a delay notice
     * @param relayedWithDsn  whether the next hop took the DSN request on (it then reports success itself)
     */
    static Notice decide(QueuedMessage message, QueuedRecipient recipient, RecipientState state, boolean delayDue,
                         boolean relayedWithDsn) {
        if (message.notice()) {
            return state == RecipientState.FAILED ? Notice.FAILED : null;
        }
        if (!message.notifyAllowed() || message.sender().isEmpty()) {
            return null;
        }
        Set<Notify> notify = notify(recipient.dsnNotify());
        return switch (state) {
            case FAILED -> notify.contains(Notify.FAILURE) ? Notice.FAILED : null;
            case DEFERRED -> delayDue && !recipient.delayNotified() && notify.contains(Notify.DELAY) ? Notice.DELAYED : null;
            case DELIVERED -> notify.contains(Notify.SUCCESS) && !relayedWithDsn ? Notice.RELAYED : null;
            case PENDING -> null;
        };
    }

    /** The NOTIFY list as stored ({@code "DELAY,FAILURE"}, {@code "NEVER"}, or null for the default). */
    static Set<Notify> notify(String stored) {
        if (stored == null || stored.isBlank()) {
            return DEFAULT_NOTIFY;
        }
        Set<Notify> out = EnumSet.noneOf(Notify.class);
        Arrays.stream(stored.split(",")).map(String::strip).forEach(word -> {
            for (Notify n : Notify.values()) {
                if (n.name().equalsIgnoreCase(word)) {
                    out.add(n);
                }
            }
        });
        return out.contains(Notify.NEVER) || out.isEmpty() ? EnumSet.noneOf(Notify.class) : out;
    }
}
