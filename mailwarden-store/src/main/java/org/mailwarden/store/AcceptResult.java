package org.mailwarden.store;

import java.util.List;

/** What a durable accept produced: the queue id and, per local delivery, the mailbox and UID it got. */
public record AcceptResult(String queueId, List<Delivered> delivered) {

    public AcceptResult {
        delivered = List.copyOf(delivered);
    }

    public record Delivered(long accountId, long mailboxId, long uid) {
    }
}
