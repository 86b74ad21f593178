package org.mailwarden.bench.scenario;

import java.time.Duration;
import java.util.List;
import org.mailwarden.bench.load.Landing;
import org.mailwarden.bench.load.MessageGenerator;
import org.mailwarden.bench.load.SmtpLoad;
import org.mailwarden.bench.load.SmtpSink;
import org.mailwarden.bench.load.SmtpSource;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.servers.Endpoint;
import org.mailwarden.bench.servers.ReferenceTarget;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * SMTP accept: 1, 20 and 100 parallel sessions × 1, 10 and 100 KiB messages, to a local mailbox.
 * Plain SMTP is driven by Postfix's smtp-source against mailwarden, Postfix and smtp-sink (the ceiling);
 * STARTTLS by the benchmark's own client against mailwarden and Postfix. For every run the figure is
 * the rate of 250s, and the mail that really landed in the mailbox is counted: the share that landed and
 * the rate until the last message landed (which for Postfix includes its queue-to-Maildir delivery).
 */
public final class SmtpScenario {

    private static final List<Metric> PLAIN = List.of(
            Metric.higher("accepted", "msg/s"),
            Metric.higher("landed in mailbox", "msg/s"),
            Metric.higher("landed", "% of sent"));
    private static final List<Metric> TLS = List.of(
            Metric.higher("accepted", "msg/s"),
            Metric.higher("landed", "% of sent"));

    private final Comparison comparison;
    private final ReferenceTarget reference;
    private final Options options;

    public SmtpScenario(Comparison comparison, ReferenceTarget reference, Options options) {
        this.comparison = comparison;
        this.reference = reference;
        this.options = options;
    }

    public void plain() throws Exception {
        int warmUp = options.quick() ? 100 : 400;
        comparison.warmUp(Service.SMTP, "smtp-source, 20 sessions × 10 KiB, " + warmUp + " msgs", target -> new double[] {
                SmtpSource.run(target.endpoint(Service.SMTP), 20, warmUp, 10 * 1024, target.address("bench2"), limit(warmUp))});
        Endpoint sinkEndpoint = reference.sink();
        SmtpSink sink = SmtpSink.start(sinkEndpoint);
        try {
            for (int sessions : options.smtpSessions()) {
                for (int size : options.smtpSizes()) {
                    int messages = options.smtpMessages(sessions, size);
                    String scenario = sessions + (sessions == 1 ? " session × " : " sessions × ") + size / 1024 + " KiB, " + messages + " msgs";
                    comparison.compare("SMTP accept, plain (smtp-source)", scenario, Service.SMTP, PLAIN,
                            target -> smtpSource(target, sessions, messages, size),
                            ignored -> new double[] {
                                    messages / SmtpSource.run(sinkEndpoint, sessions, messages, size, "sink@example.test", limit(messages)),
                                    Double.NaN, Double.NaN});
                }
            }
        } finally {
            sink.close();
        }
    }

    private double[] smtpSource(Target target, int sessions, int messages, int size) throws Exception {
        String user = "bench1";
        int before = target.inboxCount(user);
        long start = System.nanoTime();
        double seconds = SmtpSource.run(target.endpoint(Service.SMTP), sessions, messages, size, target.address(user), limit(messages));
        Landing.Landed landed = Landing.await(target, user, before + messages, start, Duration.ofSeconds(20), limit(messages));
        int count = landed.count() - before;
        return new double[] {messages / seconds, count / landed.seconds(), 100.0 * count / messages};
    }

    public void startTls() throws Exception {
        int warmUp = options.quick() ? 50 : 200;
        comparison.warmUp(Service.SMTP, "STARTTLS client, 20 sessions × 10 KiB, " + warmUp + " msgs", target -> new double[] {
                SmtpLoad.run(target.endpoint(Service.SMTP), true, 20, warmUp, n -> new MessageGenerator(target.address("bench2")).message(n, 10 * 1024),
                        target.address("bench2"), limit(warmUp)).accepted()});
        for (int sessions : options.smtpSessions()) {
            for (int size : options.smtpSizes()) {
                int messages = options.tlsMessages(sessions, size);
                String scenario = sessions + (sessions == 1 ? " session × " : " sessions × ") + size / 1024 + " KiB, " + messages + " msgs";
                comparison.compare("SMTP accept, STARTTLS (Java load client)", scenario, Service.SMTP, TLS,
                        target -> tls(target, sessions, messages, size), null);
            }
        }
    }

    private double[] tls(Target target, int sessions, int messages, int size) throws Exception {
        String user = "tls1";
        byte[] message = new MessageGenerator(target.address(user)).message(1, size);
        int before = target.inboxCount(user);
        long start = System.nanoTime();
        SmtpLoad.Result r = SmtpLoad.run(target.endpoint(Service.SMTP), true, sessions, messages, n -> message,
                target.address(user), limit(messages));
        if (r.accepted() == 0) {
            throw new java.io.IOException("no message accepted: " + r.firstError());
        }
        Landing.Landed landed = Landing.await(target, user, before + r.accepted(), start, Duration.ofSeconds(20), limit(messages));
        return new double[] {r.acceptedPerSecond(), 100.0 * (landed.count() - before) / messages};
    }

    private static Duration limit(int messages) {
        return Duration.ofSeconds(120 + messages / 10);
    }
}
