package org.mailwarden.reliability.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.reliability.harness.StoredMail;

/**
 * Compares what the clients were told with what the store holds after the crashes.
 *
 * @param sent           messages whose DATA the clients started
 * @param acknowledged   messages that got 250
 * @param lost           acknowledged messages missing from at least one place they belong (must be 0)
 * @param duplicated     messages with more than one copy in one place (must be 0)
 * @param partial        messages stored in some of their places but not all: accept is one commit (must be 0)
 * @param damaged        stored copies whose octets differ from what was sent (must be 0)
 * @param misplaced      copies in a place the message was not addressed to (must be 0)
 * @param storedUnacknowledged messages stored although the 250 never reached the client (allowed: the
 *                       server may die between the commit and the reply; the sender then retries)
 * @param problems       a description of each violation, for the failure message
 */
record CrashVerdict(int sent, int acknowledged, int lost, int duplicated, int partial, int damaged, int misplaced,
                    int storedUnacknowledged, List<String> problems) {

    static CrashVerdict of(Ledger ledger, List<StoredMail.Copy> copies) {
        Map<String, Map<String, List<StoredMail.Copy>>> byId = new HashMap<>();
        for (StoredMail.Copy c : copies) {
            byId.computeIfAbsent(c.messageId(), k -> new HashMap<>())
                    .computeIfAbsent(c.location(), k -> new ArrayList<>()).add(c);
        }
        List<String> problems = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int partial = 0;
        int damaged = 0;
        int misplaced = 0;
        int storedUnacknowledged = 0;
        for (Map.Entry<String, Map<String, List<StoredMail.Copy>>> e : byId.entrySet()) {
            Ledger.Sent sent = ledger.sent().get(e.getKey());
            if (sent == null) {
                continue; // not ours (a bounce or other server-made message)
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
        for (Ledger.Sent sent : ledger.sent().values()) {
            Map<String, List<StoredMail.Copy>> found = byId.getOrDefault(sent.messageId(), Map.of());
            long present = sent.locations().stream().filter(found::containsKey).count();
            boolean acked = ledger.acknowledged().contains(sent.messageId());
            if (acked && present < sent.locations().size()) {
                lost++;
                problems.add(sent.messageId() + " acknowledged but missing from "
                        + sent.locations().stream().filter(l -> !found.containsKey(l)).toList());
            } else if (present > 0 && present < sent.locations().size()) {
                partial++;
                problems.add(sent.messageId() + " (not acknowledged) stored in only " + found.keySet() + " of "
                        + sent.locations());
            }
            if (!acked && present > 0) {
                storedUnacknowledged++;
            }
        }
        return new CrashVerdict(ledger.sent().size(), ledger.acknowledged().size(), lost, duplicated, partial,
                damaged, misplaced, storedUnacknowledged, List.copyOf(problems.subList(0, Math.min(50, problems.size()))));
    }

    String figures() {
        return "sent=" + sent + " acknowledged=" + acknowledged + " lost=" + lost + " duplicated=" + duplicated
                + " partial=" + partial + " damaged=" + damaged + " misplaced=" + misplaced
                + " stored-unacknowledged=" + storedUnacknowledged;
    }
}
