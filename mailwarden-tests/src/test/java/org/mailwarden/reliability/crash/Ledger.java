package org.mailwarden.reliability.crash;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clients of a crash test did: every message they started to send (with where it must end up
 * and its exact octets) and the ones the server acknowledged with 250. Thread-safe.
 */
final class Ledger {

    /**
     * One message a client sent.
     *
     * @param locations where a copy must be: {@code user@domain/INBOX} per local recipient, {@code queue}
     *                  when it has foreign recipients
     */
    record Sent(String messageId, List<String> locations, byte[] octets) {
    }

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    void sending(Sent message) {
        sent.put(message.messageId(), message);
    }

    void acknowledged(String messageId) {
        acknowledged.add(messageId);
    }

    Map<String, Sent> sent() {
        return sent;
    }

    Set<String> acknowledged() {
        return acknowledged;
    }
}
