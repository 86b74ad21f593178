package org.mailwarden.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.bench.client.ImapClient;
import org.mailwarden.bench.client.ProtocolException;
import org.mailwarden.bench.measure.Latencies;
import org.mailwarden.bench.servers.Endpoint;

/**
 * The IMAP mix: {@code sessions} concurrent clients, each running {@code cycles} times through the life of
 * a mail client session on a large INBOX — LOGIN, SELECT, FETCH 1:* (FLAGS ENVELOPE), FETCH of ten full
 * bodies, SEARCH TEXT, STORE flags on ten messages, UID MOVE of one message to Archive, APPEND of one
 * message, LOGOUT. APPEND replaces what MOVE took away, so the mailbox stays the same size. Every
 * operation's latency is recorded by kind; the run stops by itself at the cycle count or the time limit.
 */
public final class ImapMixLoad {

    /** The operation kinds, in the order of a cycle. */
    public static final List<String> OPERATIONS = List.of("LOGIN", "SELECT", "FETCH 1:* (FLAGS ENVELOPE)", "FETCH 10 full bodies",
            "SEARCH TEXT", "STORE +FLAGS ×10", "UID MOVE", "APPEND", "LOGOUT");

    private static final Pattern UID = Pattern.compile("UID (\\d+)", Pattern.CASE_INSENSITIVE);

    /** Operations completed, seconds, latencies by kind, sessions that failed and the first error. */
    public record Result(long operations, double seconds, Map<String, Latencies> latencies, int failedSessions, String firstError) {
        public double operationsPerSecond() {
            return operations / seconds;
        }
    }

    private ImapMixLoad() {
    }

    public static Result run(Endpoint endpoint, String user, String password, int sessions, int cycles, Duration limit)
            throws InterruptedException {
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        for (String op : OPERATIONS) {
            latencies.put(op, new Latencies());
        }
        AtomicLong operations = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        MessageGenerator generator = new MessageGenerator(user);
        long deadline = System.nanoTime() + limit.toNanos();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            int session = s;
            threads.add(Thread.ofVirtual().name("imap-mix-" + s).start(() -> {
                SplittableRandom random = new SplittableRandom(session);
                try {
                    for (int c = 0; c < cycles && System.nanoTime() < deadline; c++) {
                        cycle(endpoint, user, password, sessions, random, generator.message(1_000_000 + session * 1000 + c, 4096),
                                latencies, operations);
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Result(operations.get(), (System.nanoTime() - start) / 1e9, latencies, failed.get(), firstError.get());
    }

    /** A step of a cycle, timed under its operation name. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    private static void cycle(Endpoint endpoint, String user, String password, int sessions, SplittableRandom random,
                              byte[] appended, Map<String, Latencies> latencies, AtomicLong operations) throws IOException {
        try (ImapClient imap = ImapClient.connect(endpoint.host(), endpoint.port(), 120_000)) {
            timed("LOGIN", latencies, operations, () -> {
                imap.login(user, password);
                return null;
            });
            int exists = timed("SELECT", latencies, operations, () -> imap.select("INBOX"));
            // other sessions move messages away concurrently: stay below the numbers they may remove
            int safe = Math.max(1, exists - 2 * sessions);
            timed("FETCH 1:* (FLAGS ENVELOPE)", latencies, operations, () -> racing(imap, "FETCH 1:* (FLAGS ENVELOPE)"));
            timed("FETCH 10 full bodies", latencies, operations, () -> racing(imap, "FETCH " + randomSet(random, safe, 10) + " BODY.PEEK[]"));
            timed("SEARCH TEXT", latencies, operations, () -> imap.command("SEARCH TEXT " + MessageGenerator.RARE_WORD));
            timed("STORE +FLAGS ×10", latencies, operations,
                    () -> racing(imap, "STORE " + randomSet(random, safe, 10) + " +FLAGS (\\Flagged)"));
            long[] uid = {-1};
            racing(imap, "FETCH " + (1 + random.nextInt(safe)) + " (UID)", line -> {
                Matcher m = UID.matcher(line);
                if (m.find()) {
                    uid[0] = Long.parseLong(m.group(1));
                }
            });
            if (uid[0] > 0) {
                timed("UID MOVE", latencies, operations, () -> racing(imap, "UID MOVE " + uid[0] + " Archive"));
            }
            timed("APPEND", latencies, operations, () -> imap.append("INBOX", "", appended));
            timed("LOGOUT", latencies, operations, () -> {
                imap.logout();
                return null;
            });
        }
    }

    /**
     * A command on messages that another session may have moved away meanwhile: RFC 9051 lets a server
     * answer {@code NO [EXPUNGEISSUED]} then (mailwarden does for FETCH and STORE, Dovecot for UID MOVE),
     * and either way the command was served.
     */
    private static ImapClient.Response racing(ImapClient imap, String command) throws IOException {
        return racing(imap, command, line -> { });
    }

    private static ImapClient.Response racing(ImapClient imap, String command, Consumer<String> untagged)
            throws IOException {
        try {
            return imap.command(command, untagged);
        } catch (ProtocolException e) {
            if (e.getMessage().contains("[EXPUNGEISSUED]")) {
                return new ImapClient.Response("NO", e.getMessage(), 0, 0);
            }
            throw e;
        }
    }

    private static <T> T timed(String op, Map<String, Latencies> latencies, AtomicLong operations, Step<T> step) throws IOException {
        long t0 = System.nanoTime();
        T result = step.run();
        latencies.get(op).record(System.nanoTime() - t0);
        operations.incrementAndGet();
        return result;
    }

    /** {@code count} distinct random message numbers in 1..max, as an IMAP sequence set. */
    static String randomSet(SplittableRandom random, int max, int count) {
        StringJoiner set = new StringJoiner(",");
        random.ints(1, max + 1).distinct().limit(Math.min(count, max)).sorted().forEach(n -> set.add(Integer.toString(n)));
        return set.toString();
    }
}
