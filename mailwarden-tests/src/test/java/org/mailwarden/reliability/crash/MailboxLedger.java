package org.mailwarden.reliability.crash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailwarden.reliability.harness.StoredMail;

/**
 * What the IMAP clients of a crash test did to their mailboxes and therefore where each message may be
 * now. Before a command goes out, a message's allowed places widen to "before or after"; when the tagged
 * OK arrives they narrow to "after". A command cut off by the kill leaves both allowed, but never both at
 * once and never neither: the store must have done it wholly or not at all. Thread-safe.
 */
final class MailboxLedger {

    /** The place of a message that is gone (expunged, or an APPEND that was never stored). */
    static final String GONE = "-";

    private record Fate(Set<String> allowed, byte[] octets) {
    }

    private final Map<String, Fate> fates = new ConcurrentHashMap<>();
    /** Per client: its acknowledged messages in its first and in its second mailbox. */
    private final Map<Integer, Deque<String>> inFirst = new ConcurrentHashMap<>();
    private final Map<Integer, Deque<String>> inSecond = new ConcurrentHashMap<>();

    /** A new message, about to be appended: it may be in any of {@code allowed} from now on. */
    void expect(String messageId, byte[] octets, String... allowed) {
        fates.put(messageId, new Fate(Set.of(allowed), octets));
    }

    /** Before a command that changes where a message is: it may be in any of {@code places} from now on. */
    void widen(String messageId, String... places) {
        fates.computeIfPresent(messageId, (id, f) -> new Fate(Set.of(places), f.octets()));
    }

    /** The command was acknowledged: the message is in {@code place} and nowhere else. */
    void narrow(String messageId, String place) {
        fates.computeIfPresent(messageId, (id, f) -> new Fate(Set.of(place), f.octets()));
    }

    Deque<String> first(int client) {
        return inFirst.computeIfAbsent(client, c -> new ArrayDeque<>());
    }

    Deque<String> second(int client) {
        return inSecond.computeIfAbsent(client, c -> new ArrayDeque<>());
    }

    int messages() {
        return fates.size();
    }

    /** The violations: lost, duplicated, misplaced or damaged messages, each described. */
    List<String> check(List<StoredMail.Copy> copies) {
        Map<String, List<StoredMail.Copy>> byId = new HashMap<>();
        for (StoredMail.Copy c : copies) {
            byId.computeIfAbsent(c.messageId(), k -> new ArrayList<>()).add(c);
        }
        List<String> problems = new ArrayList<>();
        fates.forEach((id, fate) -> {
            List<StoredMail.Copy> found = byId.getOrDefault(id, List.of());
            if (found.size() > 1) {
                problems.add(id + " is in " + found.stream().map(StoredMail.Copy::location).toList()
                        + ", allowed " + fate.allowed() + " once");
            } else if (found.isEmpty() && !fate.allowed().contains(GONE)) {
                problems.add(id + " is lost; it belongs in " + fate.allowed());
            } else if (found.size() == 1 && !fate.allowed().contains(found.getFirst().location())) {
                problems.add(id + " is in " + found.getFirst().location() + ", allowed " + fate.allowed());
            } else if (found.size() == 1 && !java.util.Arrays.equals(found.getFirst().octets(), fate.octets())) {
                problems.add(id + " was altered");
            }
        });
        return problems;
    }
}
