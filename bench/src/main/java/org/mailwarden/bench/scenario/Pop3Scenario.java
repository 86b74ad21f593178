package org.mailwarden.bench.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.mailwarden.bench.client.Pop3Client;
import org.mailwarden.bench.load.MailboxFiller;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.servers.Endpoint;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * POP3: one client downloads a whole maildrop (RETR of every message, nothing deleted, so the maildrop
 * can be reused), as a POP3 client collecting mail does. One unmeasured run first, on both sides, so
 * that the maildrop's indexes exist.
 */
public final class Pop3Scenario {

    private final Comparison comparison;
    private final Options options;

    public Pop3Scenario(Comparison comparison, Options options) {
        this.comparison = comparison;
        this.options = options;
    }

    public void retrAll() throws Exception {
        String user = "pop3drop";
        int messages = options.pop3Messages();
        String section = "POP3";
        comparison.prepare(Service.POP3, section, t -> {
            MailboxFiller.fill(t, user, messages, Duration.ofMinutes(15));
            Comparison.progress("warm-up: POP3 RETR of the maildrop on " + t.name(Service.POP3));
            retrAll(t, user, messages);
            return null;
        });
        List<Metric> metrics = List.of(Metric.higher("RETR", "msg/s"), Metric.higher("RETR", "MiB/s"),
                Metric.lower("whole maildrop", "s"));
        comparison.compare(section, "RETR of all " + messages + " messages, 1 session", Service.POP3, metrics, target -> {
            long t0 = System.nanoTime();
            long bytes = retrAll(target, user, messages);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new double[] {messages / seconds, bytes / 1048576.0 / seconds, seconds};
        }, null);
    }

    private static long retrAll(Target target, String user, int messages) throws IOException {
        Endpoint e = target.endpoint(Service.POP3);
        try (Pop3Client pop = Pop3Client.connect(e.host(), e.port(), 60_000)) {
            pop.login(target.address(user), target.password());
            Pop3Client.Stat stat = pop.stat();
            if (stat.messages() < messages) {
                throw new IOException("the maildrop holds " + stat.messages() + " messages, expected " + messages);
            }
            long bytes = 0;
            for (int i = 1; i <= messages; i++) {
                bytes += pop.retr(i);
            }
            pop.quit();
            return bytes;
        }
    }
}
