package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailwarden.core.address.MailParameters;
import org.mailwarden.core.io.Spool;
import org.mailwarden.store.AcceptRequest;

/**
 * One mail transaction being assembled, from MAIL to the end of the body: the queue id (announced in
 * every log line of the transaction), the sender, the accepted recipients split into local accounts and
 * foreign (relayed) addresses, and the body being received. Duplicate recipients are kept once.
 */
final class Transaction {

    final String queueId;
    /** The envelope sender as written into the queue; "" for the null reverse-path. */
    final String sender;
    final boolean senderLocal;
    final MailParameters parameters;
    private final Set<Long> localAccounts = new LinkedHashSet<>();
    private final Map<String, AcceptRequest.OutboundRecipient> outbound = new LinkedHashMap<>();
    private final List<String> accepted = new ArrayList<>();
    private Body body;
    private Spool spool;

    Transaction(String queueId, String sender, boolean senderLocal, MailParameters parameters) {
        this.queueId = queueId;
        this.sender = sender;
        this.senderLocal = senderLocal;
        this.parameters = parameters;
    }

    /** A body being received into a spool; at most one per transaction. */
    record Body(Spool.Writer writer, BodySink sink) {
    }

    void addLocal(String address, List<Long> accountIds) {
        accepted.add(address);
        localAccounts.addAll(accountIds);
    }

    void addOutbound(String key, AcceptRequest.OutboundRecipient recipient) {
        accepted.add(recipient.address());
        outbound.putIfAbsent(key, recipient);
    }

    /** Recipients accepted so far, counting every accepted RCPT command. */
    int recipientCount() {
        return accepted.size();
    }

    /** The recipient for the Received header's {@code for} clause, only when there is exactly one. */
    String singleRecipient() {
        return accepted.size() == 1 ? accepted.get(0) : null;
    }

    /** How many distinct foreign recipients go to the outbound queue. */
    int outboundCount() {
        return outbound.size();
    }

    /**
     * Ends the body and describes the message for the store: the local copy gets Return-Path and the
     * Received header, the relayed copy the Received header, both over the same spool.
     *
     * @param notifyAllowed whether the sender may get delivery status notifications (never the null sender)
     */
    AcceptRequest acceptRequest(String received, boolean notifyAllowed) throws IOException {
        Spool content = finishBody();
        List<AcceptRequest.LocalDelivery> local = localAccounts.stream()
                .map(id -> new AcceptRequest.LocalDelivery(id, "INBOX")).toList();
        List<AcceptRequest.OutboundRecipient> relayed = List.copyOf(outbound.values());
        PrefixedContent localContent = local.isEmpty() ? null
                : new PrefixedContent(TraceHeaders.bytes(TraceHeaders.returnPath(sender) + received), content);
        PrefixedContent outboundContent = relayed.isEmpty() ? null
                : new PrefixedContent(TraceHeaders.bytes(received), content);
        return new AcceptRequest(queueId, sender, localContent, local, outboundContent, relayed,
                notifyAllowed && !sender.isEmpty(), parameters.envid(),
                parameters.ret() == null ? null : parameters.ret().name());
    }

    Body body() {
        return body;
    }

    void startBody(Body b) {
        body = b;
    }

    boolean smtputf8() {
        return parameters.smtputf8();
    }

    /** Ends writing the body; the spool stays open (and its file on disk) until {@link #discard()}. */
    private Spool finishBody() throws IOException {
        spool = body.writer().finish();
        return spool;
    }

    /** Releases the spool (deletes its temp file, if any); the transaction is over either way. */
    void discard() {
        try {
            if (body != null) {
                body.writer().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spool of " + queueId, e);
        } finally {
            body = null;
            if (spool != null) {
                spool.close();
                spool = null;
            }
        }
    }
}
