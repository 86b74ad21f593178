package org.mailwarden.reliability.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.reliability.harness.StoredMail;

/**
 * Compares what the clients were told with where their messages are after the crashes: the store's
 * mailboxes and outbound queue, and the receiving server the queue delivers to (when there is one).
 * A message addressed to a foreign recipient is where it belongs when it still waits in the queue or has
 * arrived at the receiving server; a queue entry that is finished without the message having arrived
 * counts as lost.
 *
 * @param sent           messages whose DATA the clients started
 * @param acknowledged   messages that got 250
 * @param lost           acknowledged messages missing from at least one place they belong (must be 0)
 * @param duplicated     messages with more than one copy in one mailbox or in the queue (must be 0)
 * @param partial        messages stored in some of their places but not all: accept is one commit (must be 0)
 * @param damaged        stored or delivered copies whose octets differ from what was sent (must be 0)
 * @param misplaced      copies in a place the message was not addressed to (must be 0)
 * @param storedUnacknowledged messages stored although the 250 never reached the client (allowed: the
 *                       server may die between the commit and the reply; the sender then retries)
 * @param delivered      messages that arrived at the receiving server
 * @param redelivered    messages that arrived there more than once (allowed: the server may die between
 *                       the remote 250 and recording it, and SMTP then delivers again)
 * @param problems       a description of each violation, for the failure message
 */
record CrashVerdict(int sent, int acknowledged, int lost, int duplicated, int partial, int damaged, int misplaced,
                    int storedUnacknowledged, int delivered, int redelivered, List<String> problems) {

    static final String QUEUE = "queue";

    static CrashVerdict of(Ledger ledger, List<StoredMail.Copy> copies) {
        return of(ledger, copies, Map.of(), Map.of());
    }

    /**
     * @param arrivals how often each Message-ID arrived at the receiving server
     * @param arrived  the copy that arrived there, per Message-ID
     */
    static CrashVerdict of(Ledger ledger, List<StoredMail.Copy> copies, Map<String, Integer> arrivals,
                           Map<String, byte[]> arrived) {
        Map<String, Map<String, List<StoredMail.Copy>>> byId = new HashMap<>();
        for (StoredMail.Copy c : copies) {
            byId.computeIfAbsent(c.messageId(), k -> new HashMap<>())
                    .computeIfAbsent(c.location(), k -> new ArrayList<>()).add(c);
        }
        List<String> problems = new ArrayList<>();
        int duplicated = 0;
        int damaged = 0;
        int misplaced = 0;
        for (Map.Entry<String, Map<String, List<StoredMail.Copy>>> e : byId.entrySet()) {
            Ledger.Sent sent = ledger.sent().get(e.getKey());
            if (sent == null) {
                continue; // not ours (a delivery status notification or other server-made message)
            }
            for (Map.Entry<String, List<StoredMail.Copy>> place : e.getValue().entrySet()) {
                if (!sent.locations().contains(place.getKey())) {
                    misplaced++;
                    problems.add(e.getKey() + " found in " + place.getKey() + ", addressed to " + sent.locations());
                }
                if (place.getValue().size() > 1) {
                    duplicated++;
                    problems.add(e.getKey() + " stored " + place.getValue().size() + " times in " + place.getKey());
                }
                for (StoredMail.Copy c : place.getValue()) {
                    if (!c.endsWith(sent.octets())) {
                        damaged++;
                        problems.add(e.getKey() + " in " + place.getKey() + " differs from what was sent");
                    }
                }
            }
        }
        for (Map.Entry<String, byte[]> a : arrived.entrySet()) {
            Ledger.Sent sent = ledger.sent().get(a.getKey());
            if (sent != null && !new StoredMail.Copy(QUEUE, a.getKey(), a.getValue(), false).endsWith(sent.octets())) {
                damaged++;
                problems.add(a.getKey() + " arrived at the receiving server altered");
            }
        }
        int lost = 0;
        int partial = 0;
        int storedUnacknowledged = 0;
        for (Ledger.Sent sent : ledger.sent().values()) {
            Map<String, List<StoredMail.Copy>> found = byId.getOrDefault(sent.messageId(), Map.of());
            List<String> missing = new ArrayList<>();
            for (String location : sent.locations()) {
                if (!holds(location, found, arrivals.getOrDefault(sent.messageId(), 0))) {
                    missing.add(location);
                }
            }
            boolean acked = ledger.acknowledged().contains(sent.messageId());
            int present = sent.locations().size() - missing.size();
            if (acked && !missing.isEmpty()) {
                lost++;
                problems.add(sent.messageId() + " acknowledged but missing from " + missing
                        + (found.containsKey(QUEUE) ? " (queue entry finished, never arrived)" : ""));
            } else if (present > 0 && !missing.isEmpty()) {
                partial++;
                problems.add(sent.messageId() + " (not acknowledged) stored in only " + found.keySet() + " of "
                        + sent.locations());
            }
            if (!acked && present > 0) {
                storedUnacknowledged++;
            }
        }
        int redelivered = (int) arrivals.values().stream().filter(n -> n > 1).count();
        return new CrashVerdict(ledger.sent().size(), ledger.acknowledged().size(), lost, duplicated, partial,
                damaged, misplaced, storedUnacknowledged, arrivals.size(), redelivered,
                List.copyOf(problems.subList(0, Math.min(50, problems.size()))));
    }

    /** Whether a message is where {@code location} says: in the mailbox, or queued or delivered. */
    private static boolean holds(String location, Map<String, List<StoredMail.Copy>> found, int arrivals) {
        if (!location.equals(QUEUE)) {
            return found.containsKey(location);
        }
        return arrivals > 0 || found.getOrDefault(QUEUE, List.of()).stream().anyMatch(StoredMail.Copy::pending);
    }

    String figures() {
        return "sent=" + sent + " acknowledged=" + acknowledged + " lost=" + lost + " duplicated=" + duplicated
                + " partial=" + partial + " damaged=" + damaged + " misplaced=" + misplaced
                + " stored-unacknowledged=" + storedUnacknowledged
                + (delivered > 0 ? " delivered=" + delivered + " redelivered=" + redelivered : "");
    }
}
