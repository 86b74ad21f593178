package org.mailwarden.bench.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.mailwarden.bench.client.Pop3Client;
import org.mailwarden.bench.load.MailboxFiller;
import org.mailwarden.bench.load.MessageGenerator;
import org.mailwarden.bench.load.SmtpLoad;
import org.mailwarden.bench.measure.MemoryPeak;
import org.mailwarden.bench.measure.ProcessMemory;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.servers.Endpoint;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * POP3: one client downloads a whole maildrop (RETR of every message, nothing deleted, so the maildrop
 * can be reused), as a POP3 client collecting mail does, over plain POP3, over POP3S and with every RETR
 * pipelined; and one client
 * downloads one large message, with the server's memory watched meanwhile (a server that streams does
 * not grow by the message's size). One unmeasured run first, on both sides, so that the maildrop's
 * indexes exist and mailwarden's RETR path is compiled.
 */
public final class Pop3Scenario {

    private static final String SECTION = "POP3";

    private final Comparison comparison;
    private final Options options;

    public Pop3Scenario(Comparison comparison, Options options) {
        this.comparison = comparison;
        this.options = options;
    }

    /** How the client sends its RETRs. */
    private enum Mode {
        PLAIN(false, false, ""), POP3S(true, false, ", POP3S (TLS)"), PIPELINED(false, true, ", all RETRs pipelined");

        final boolean tls;
        final boolean pipelined;
        final String label;

        Mode(boolean tls, boolean pipelined, String label) {
            this.tls = tls;
            this.pipelined = pipelined;
            this.label = label;
        }
    }

    /** RETR of every message of the {@code pop3drop} maildrop: plain, over POP3S, and plain with every RETR pipelined. */
    public void retrAll() throws Exception {
        String user = "pop3drop";
        int messages = options.pop3Messages();
        comparison.prepare(Service.POP3, SECTION, t -> {
            MailboxFiller.fill(t, user, messages, Duration.ofMinutes(15));
            Comparison.progress("warm-up: POP3 RETR of the maildrop on " + t.name(Service.POP3));
            for (Mode mode : Mode.values()) {
                retrAll(t, user, messages, mode);
            }
            return null;
        });
        // The RETR phase is timed apart from the login: a login verifies an Argon2id hash (about 0.1 s here,
        // as long as RETR of 1,000 small messages), which is the same work on both sides but not RETR's.
        List<Metric> metrics = List.of(Metric.higher("RETR", "msg/s"), Metric.higher("RETR", "MiB/s"),
                Metric.lower("connect + USER/PASS + STAT", "ms"), Metric.lower("whole session", "s"));
        for (Mode mode : Mode.values()) {
            String scenario = "RETR of all " + messages + " messages, 1 session" + mode.label;
            comparison.compare(SECTION, scenario, Service.POP3, metrics,
                    target -> retrAll(target, user, messages, mode).figures(messages), null);
        }
    }

    /**
     * RETR of one large message ({@link Options#pop3LargeSize()}) of the {@code pop3big} maildrop, plain
     * and over POP3S: throughput, and how much the server's memory (PSS of its process tree, sampled every
     * 20 ms, after a full GC on mailwarden) grew above what it was after the login.
     */
    public void retrLarge() throws Exception {
        String user = "pop3big";
        int size = options.pop3LargeSize();
        comparison.prepare(Service.POP3, SECTION, t -> {
            if (t.inboxCount(user) < 1) {
                Comparison.progress("filling " + t.address(user) + " with one " + size / 1048576 + " MiB message");
                byte[] message = new MessageGenerator(t.address(user)).message(1, size);
                SmtpLoad.Result r = SmtpLoad.run(t.endpoint(Service.SMTP), false, 1, 1, n -> message, t.address(user),
                        Duration.ofMinutes(5));
                if (r.accepted() != 1) {
                    throw new IOException("the large message was refused: " + r.firstError());
                }
            }
            Comparison.progress("warm-up: POP3 RETR of the large message on " + t.name(Service.POP3));
            retrLarge(t, user, false);
            return null;
        });
        List<Metric> metrics = List.of(Metric.higher("RETR", "MiB/s"), Metric.lower("server memory growth during RETR", "MiB"));
        for (boolean tls : List.of(false, true)) {
            String scenario = "RETR of one " + size / 1048576 + " MiB message, 1 session" + (tls ? ", POP3S (TLS)" : "");
            comparison.compare(SECTION, scenario, Service.POP3, metrics, target -> retrLarge(target, user, tls), null);
        }
    }

    private static double[] retrLarge(Target target, String user, boolean tls) throws Exception {
        Endpoint e = tls ? target.implicitTls(Service.POP3) : target.endpoint(Service.POP3);
        try (Pop3Client pop = Pop3Client.connect(e.host(), e.port(), 120_000, tls)) {
            pop.login(target.address(user), target.password());
            if (pop.stat().messages() < 1) {
                throw new IOException("the maildrop of " + target.address(user) + " is empty");
            }
            target.settle();
            long root = target.pid(Service.POP3);
            long before = ProcessMemory.treePssKiB(root);
            long t0 = System.nanoTime();
            long bytes;
            MemoryPeak peak = MemoryPeak.start(root, 20);
            try {
                bytes = pop.retr(1);
            } finally {
                peak.close();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pop.quit();
            return new double[] {bytes / 1048576.0 / seconds, Math.max(0, peak.peakKiB() - before) / 1024.0};
        }
    }

    /** One download: nanoseconds until the maildrop was open (connect, login, STAT), of the RETRs, of the whole session. */
    private record Download(long openNanos, long retrNanos, long totalNanos, long bytes) {
        double[] figures(int messages) {
            return new double[] {messages / (retrNanos / 1e9), bytes / 1048576.0 / (retrNanos / 1e9), openNanos / 1e6, totalNanos / 1e9};
        }
    }

    private static Download retrAll(Target target, String user, int messages, Mode mode) throws IOException {
        Endpoint e = mode.tls ? target.implicitTls(Service.POP3) : target.endpoint(Service.POP3);
        long t0 = System.nanoTime();
        try (Pop3Client pop = Pop3Client.connect(e.host(), e.port(), 60_000, mode.tls)) {
            pop.login(target.address(user), target.password());
            Pop3Client.Stat stat = pop.stat();
            if (stat.messages() < messages) {
                throw new IOException("the maildrop holds " + stat.messages() + " messages, expected " + messages);
            }
            long opened = System.nanoTime();
            long bytes = 0;
            if (mode.pipelined) {
                bytes = pop.retrPipelined(messages);
            } else {
                for (int i = 1; i <= messages; i++) {
                    bytes += pop.retr(i);
                }
            }
            long retrieved = System.nanoTime();
            pop.quit();
            return new Download(opened - t0, retrieved - opened, System.nanoTime() - t0, bytes);
        }
    }
}
