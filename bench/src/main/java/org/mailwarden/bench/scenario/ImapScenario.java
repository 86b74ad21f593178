package org.mailwarden.bench.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailwarden.bench.client.ImapClient;
import org.mailwarden.bench.client.SmtpClient;
import org.mailwarden.bench.load.IdleSessions;
import org.mailwarden.bench.load.ImapMixLoad;
import org.mailwarden.bench.load.MailboxFiller;
import org.mailwarden.bench.load.MessageGenerator;
import org.mailwarden.bench.measure.Latencies;
import org.mailwarden.bench.measure.MachineInfo;
import org.mailwarden.bench.measure.ProcessMemory;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.servers.Endpoint;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * IMAP: the operation mix over a prepared large INBOX (throughput and latency percentiles per
 * operation), the memory a server needs for N sessions idling in IDLE, and the time from an SMTP
 * delivery to the IDLE notification ({@code * N EXISTS}) of a waiting client.
 */
public final class ImapScenario {

    private final Comparison comparison;
    private final Options options;

    public ImapScenario(Comparison comparison, Options options) {
        this.comparison = comparison;
        this.options = options;
    }

    public void mix() throws Exception {
        String section = "IMAP mix";
        String user = "imapmix";
        comparison.prepare(Service.IMAP, section, t -> {
            MailboxFiller.fill(t, user, options.imapMailbox(), Duration.ofMinutes(30));
            warmUp(t, user);
            return null;
        });
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.higher("throughput", "ops/s"));
        for (String op : ImapMixLoad.OPERATIONS) {
            metrics.add(Metric.lower(op + " p50", "ms"));
            metrics.add(Metric.lower(op + " p99", "ms"));
        }
        String scenario = options.imapSessions() + " sessions × " + options.imapCycles() + " cycles, INBOX of "
                + options.imapMailbox() + " msgs";
        comparison.warmUp(Service.IMAP, "IMAP mix, 2 sessions × 1 cycle", target -> new double[] {
                ImapMixLoad.run(target.endpoint(Service.IMAP), target.address(user), target.password(), 2, 1, Duration.ofMinutes(5)).operations()});
        comparison.compare(section, scenario, Service.IMAP, metrics, target -> {
            ImapMixLoad.Result r = ImapMixLoad.run(target.endpoint(Service.IMAP), target.address(user), target.password(),
                    options.imapSessions(), options.imapCycles(), Duration.ofMinutes(10));
            if (r.failedSessions() > 0) {
                throw new IOException(r.failedSessions() + " sessions failed: " + r.firstError());
            }
            double[] values = new double[metrics.size()];
            values[0] = r.operationsPerSecond();
            int i = 1;
            for (String op : ImapMixLoad.OPERATIONS) {
                Latencies l = r.latencies().get(op);
                values[i++] = l.percentileMillis(50);
                values[i++] = l.percentileMillis(99);
            }
            return values;
        }, null);
    }

    /** One SELECT and FETCH so that index files and caches exist before the first measured run, on both sides. */
    private static void warmUp(Target t, String user) throws IOException {
        Endpoint e = t.endpoint(Service.IMAP);
        try (ImapClient imap = ImapClient.connect(e.host(), e.port(), 600_000)) {
            imap.login(t.address(user), t.password());
            try {
                imap.command("CREATE Archive");
            } catch (IOException alreadyThere) {
                // Dovecot creates it itself (auto = create); mailwarden may have it from an earlier cycle
            }
            imap.select("INBOX");
            imap.command("FETCH 1:* (FLAGS ENVELOPE)");
            imap.command("SEARCH TEXT " + MessageGenerator.RARE_WORD);
            imap.logout();
        }
    }

    /**
     * Memory of N idle sessions: the server's PSS before and with N sessions in IDLE. Sizes that the
     * previous size says would not fit in half the free memory are skipped and reported.
     */
    /** The single-session commands timed one at a time over the IMAP mix's mailbox, in this order. */
    private static final List<String> COMMANDS = List.of("FETCH 1:* (FLAGS ENVELOPE)", "UID FETCH 1:* (FLAGS)",
            "SEARCH TEXT " + MessageGenerator.RARE_WORD, "SEARCH FROM sender3.test", "SEARCH BODY nosuchwordanywhere");

    /**
     * One session, nothing else running: each of {@link #COMMANDS} once over the whole INBOX of the
     * IMAP mix's user, timed from sending the command to its tagged OK (all responses read). This is the
     * cost of one command without the mix's contention.
     */
    public void commands() throws Exception {
        String section = "IMAP commands, 1 session";
        String user = "imapmix";
        comparison.prepare(Service.IMAP, section, t -> {
            MailboxFiller.fill(t, user, options.imapMailbox(), Duration.ofMinutes(30));
            return null;
        });
        List<Metric> metrics = COMMANDS.stream().map(c -> Metric.lower(c, "ms")).toList();
        comparison.warmUp(Service.IMAP, section, target -> timeCommands(target, user));
        comparison.compare(section, "each command once over the INBOX of about " + options.imapMailbox() + " msgs", Service.IMAP,
                metrics, target -> timeCommands(target, user), null);
    }

    private static double[] timeCommands(Target target, String user) throws IOException {
        Endpoint e = target.endpoint(Service.IMAP);
        double[] millis = new double[COMMANDS.size()];
        try (ImapClient imap = ImapClient.connect(e.host(), e.port(), 300_000)) {
            imap.login(target.address(user), target.password());
            imap.select("INBOX");
            for (int i = 0; i < COMMANDS.size(); i++) {
                long t0 = System.nanoTime();
                ImapClient.Response r = imap.command(COMMANDS.get(i));
                millis[i] = (System.nanoTime() - t0) / 1e6;
                if (!r.status().equals("OK")) {
                    throw new IOException(COMMANDS.get(i) + ": " + r.status() + " " + r.text());
                }
            }
            imap.logout();
        }
        return millis;
    }

    public void idleMemory() throws Exception {
        String section = "IMAP idle sessions (memory)";
        double perSessionKiB = Double.NaN;
        for (int n : options.idleSessions()) {
            if (Double.isFinite(perSessionKiB) && perSessionKiB * n / 1024 > freeMiB() / 2.0) {
                comparison.report().missing(String.format(Locale.ROOT, "%s, %d sessions: skipped, the last size used %.0f KiB per session, "
                        + "%d sessions would need about %.0f MiB of the %d MiB free", section, n, perSessionKiB, n, perSessionKiB * n / 1024, freeMiB()));
                continue;
            }
            double[] worst = {Double.NaN};
            List<Metric> metrics = List.of(Metric.lower("server memory with sessions idle", "MiB PSS"),
                    Metric.lower("per idle session", "KiB PSS"), Metric.higher("sessions reached", "sessions"),
                    Metric.lower("SMTP delivery → EXISTS in every session", "ms"));
            // a login is an Argon2id hash on both sides: large counts take minutes, so they run once
            Comparison c = n >= 5000 ? comparison.withRepetitions(1) : comparison;
            c.compare(section, n + " sessions in IDLE" + (n >= 5000 ? " (1 run)" : ""), Service.IMAP, metrics, target -> {
                double[] v = idle(target, n);
                worst[0] = Double.isFinite(worst[0]) ? Math.max(worst[0], v[1]) : v[1];
                return v;
            }, null);
            perSessionKiB = worst[0];
        }
    }

    private double[] idle(Target target, int n) throws Exception {
        long pid = target.pid(Service.IMAP);
        Thread.sleep(2000);
        target.settle();
        long before = ProcessMemory.treePssKiB(pid);
        try (IdleSessions idle = IdleSessions.open(target.endpoint(Service.IMAP), target.address("idle"), target.password(), n,
                Duration.ofMinutes(n >= 5000 ? 20 : 5))) {
            Thread.sleep(3000);
            target.settle();
            long after = ProcessMemory.treePssKiB(pid);
            if (idle.size() < n) {
                Comparison.progress(target.name(Service.IMAP) + " held only " + idle.size() + " of " + n + " idle sessions: " + idle.firstError());
            }
            double fanOut = fanOut(target, idle);
            return new double[] {after / 1024.0, idle.size() == 0 ? Double.NaN : (after - before) / (double) idle.size(), idle.size(), fanOut};
        }
    }

    /** Milliseconds from the start of one SMTP delivery to the mailbox until every idle session saw its EXISTS (NaN if some did not). */
    private static double fanOut(Target target, IdleSessions idle) throws IOException, InterruptedException {
        if (idle.size() == 0 || target.unavailable(Service.SMTP).isPresent()) {
            return Double.NaN;
        }
        Endpoint smtpEndpoint = target.endpoint(Service.SMTP);
        String address = target.address("idle");
        long t0 = System.nanoTime();
        int[] notified = new int[1];
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                notified[0] = idle.awaitExistsInAll(Duration.ofSeconds(120));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (SmtpClient smtp = SmtpClient.connect(smtpEndpoint.host(), smtpEndpoint.port(), 60_000)) {
            smtp.ehlo("loadgen.test");
            smtp.send("loadgen@loadgen.test", List.of(address), new MessageGenerator(address).message(1, 2048));
            smtp.quit();
        }
        waiter.join();
        double millis = (System.nanoTime() - t0) / 1e6;
        if (notified[0] < idle.size()) {
            Comparison.progress(target.name(Service.IMAP) + ": only " + notified[0] + " of " + idle.size() + " idle sessions saw the delivery");
            return Double.NaN;
        }
        return millis;
    }

    private static long freeMiB() {
        return MachineInfo.availableMemoryMiB();
    }

    /** Time from the start of an SMTP delivery to the {@code * N EXISTS} of a client in IDLE. */
    public void idleLatency() throws Exception {
        String section = "IMAP IDLE notification";
        boolean mwSmtp = comparison.available(comparison.mailwarden(), Service.SMTP, section + " (needs SMTP)");
        List<Metric> metrics = List.of(Metric.lower("SMTP delivery → EXISTS p50", "ms"), Metric.lower("SMTP delivery → EXISTS p90", "ms"));
        comparison.compare(section, options.idleLatencySamples() + " deliveries to a client in IDLE", Service.IMAP, metrics, target -> {
            if (target == comparison.mailwarden() && !mwSmtp) {
                throw new IOException("mailwarden: service not available yet (SMTP)");
            }
            Latencies l = idleLatency(target, options.idleLatencySamples());
            return new double[] {l.percentileMillis(50), l.percentileMillis(90)};
        }, null);
    }

    private static Latencies idleLatency(Target target, int samples) throws IOException {
        Latencies latencies = new Latencies();
        Endpoint imapEndpoint = target.endpoint(Service.IMAP);
        Endpoint smtpEndpoint = target.endpoint(Service.SMTP);
        String address = target.address("idlelat");
        MessageGenerator generator = new MessageGenerator(address);
        try (ImapClient imap = ImapClient.connect(imapEndpoint.host(), imapEndpoint.port(), 60_000)) {
            imap.login(address, target.password());
            int[] exists = {imap.select("INBOX")};
            String tag = imap.idle();
            // the first deliveries warm up both paths (mailwarden's JIT, Postfix's delivery processes) unrecorded
            for (int i = -2; i < samples; i++) {
                long t0 = System.nanoTime();
                try (SmtpClient smtp = SmtpClient.connect(smtpEndpoint.host(), smtpEndpoint.port(), 60_000)) {
                    smtp.ehlo("loadgen.test");
                    smtp.send("loadgen@loadgen.test", List.of(address), generator.message(i + 2, 2048));
                    smtp.quit();
                }
                boolean seen = imap.awaitUntagged(line -> {
                    int n = ImapClient.existsCount(line);
                    if (n > exists[0]) {
                        exists[0] = n;
                        return true;
                    }
                    return false;
                }, 40_000);
                if (!seen) {
                    throw new IOException("no EXISTS within 40 s of delivery " + (i + 3));
                }
                if (i >= 0) {
                    latencies.record(System.nanoTime() - t0);
                }
            }
            imap.done(tag, 30_000);
            imap.logout();
        }
        return latencies;
    }
}
