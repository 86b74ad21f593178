package org.mailwarden.store;

import java.util.List;
import java.util.Objects;
import org.mailwarden.core.io.MessageContent;

/**
 * One accepted message on its way to stable storage: the copy for local mailboxes (with Return-Path,
 * delivered into each account's mailbox) and the copy for the outbound queue (foreign recipients, with
 * the DSN parameters the outbound issue needs). Either list may be empty, and its content is then null.
 *
 * @param queueId        the id announced in "250 queued as" and in every log line of the transaction
 * @param sender         the envelope sender, "" for the null reverse-path
 * @param notifyAllowed  whether delivery status notifications may be sent to {@code sender} (local or
 *                       authenticated sender, or an allowed network); never true for the null sender
 * @param envid          RFC 3461 ENVID or null
 * @param ret            RFC 3461 RET (FULL or HDRS) or null
 */
public record AcceptRequest(String queueId, String sender, MessageContent localContent, List<LocalDelivery> local,
                            MessageContent outboundContent, List<OutboundRecipient> outbound, boolean notifyAllowed,
                            String envid, String ret) {

    public AcceptRequest {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(sender, "sender");
        local = List.copyOf(local);
        outbound = List.copyOf(outbound);
        if (!local.isEmpty()) {
            Objects.requireNonNull(localContent, "localContent");
        }
        if (!outbound.isEmpty()) {
            Objects.requireNonNull(outboundContent, "outboundContent");
        }
        if (local.isEmpty() && outbound.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
    }

    /** Delivery into one account's mailbox (normally INBOX). */
    public record LocalDelivery(long accountId, String mailbox) {
    }

    /** A foreign recipient with its RFC 3461 parameters (null when absent). */
    public record OutboundRecipient(String address, String orcpt, String dsnNotify) {
    }
}
