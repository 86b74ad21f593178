package org.mailwarden.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.mailwarden.bench.client.SmtpClient;
import org.mailwarden.bench.servers.Endpoint;

/**
 * The benchmark's own SMTP load client, for what smtp-source cannot do (STARTTLS) and for preparing
 * mailboxes: {@code sessions} virtual threads share a count of {@code messages}; each message goes over
 * its own connection (greeting, EHLO, optionally STARTTLS and EHLO again, one transaction, QUIT), as
 * smtp-source does by default. The run stops by itself at the count or at the time limit.
 */
public final class SmtpLoad {

    /** What a run achieved: messages accepted with 250, messages that failed, seconds, and the first error. */
    public record Result(int accepted, int failed, double seconds, String firstError) {
        public double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    private SmtpLoad() {
    }

    public static Result run(Endpoint endpoint, boolean startTls, int sessions, int messages, IntFunction<byte[]> message,
                             String recipient, Duration limit) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long deadline = System.nanoTime() + limit.toNanos();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            threads.add(Thread.ofVirtual().name("smtp-load-" + s).start(() -> {
                int n;
                while ((n = next.getAndIncrement()) < messages && System.nanoTime() < deadline) {
                    try {
                        if (deliver(endpoint, startTls, message.apply(n), recipient)) {
                            accepted.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Result(accepted.get(), failed.get(), (System.nanoTime() - start) / 1e9, firstError.get());
    }

    private static boolean deliver(Endpoint endpoint, boolean startTls, byte[] message, String recipient) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(endpoint.host(), endpoint.port(), 60_000)) {
            List<String> extensions = smtp.ehlo("loadgen.test");
            if (startTls) {
                if (!extensions.contains("STARTTLS")) {
                    throw new IOException("the server does not offer STARTTLS");
                }
                smtp.startTls();
                smtp.ehlo("loadgen.test");
            }
            SmtpClient.Reply reply = smtp.send("loadgen@loadgen.test", List.of(recipient), message);
            smtp.quit();
            return reply.code() == 250;
        }
    }
}
