package org.mailwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.bench.load.MessageGenerator;
import org.mailwarden.bench.load.SmtpLoad;
import org.mailwarden.bench.measure.Latencies;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.report.Report;
import org.mailwarden.bench.report.Row;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.ServiceProbe;

/**
 * A few seconds' smoke run of the harness: the load client delivers and counts exactly, a server that
 * greets with "not available" is recognised as such, messages are reproducible, and the report computes
 * medians and ratios and says what it could not measure. No timing is asserted.
 */
class HarnessSmokeTest {

    @Test
    void loadClientDeliversEveryMessageOnceAndCountsIt() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(null)) {
            MessageGenerator generator = new MessageGenerator("bench1@example.test");
            SmtpLoad.Result r = SmtpLoad.run(server.endpoint(), false, 5, 40, n -> generator.message(n, 1500),
                    "bench1@example.test", Duration.ofSeconds(30));

            assertThat(r.accepted()).isEqualTo(40);
            assertThat(r.failed()).isZero();
            assertThat(server.messages).hasSize(40);
            assertThat(server.messages).doesNotHaveDuplicates();
            assertThat(server.messages.get(0)).contains("To: <bench1@example.test>");
        }
    }

    @Test
    void dotsAtLineStartSurviveTheTransaction() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(null)) {
            byte[] message = "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n".getBytes(StandardCharsets.US_ASCII);
            SmtpLoad.Result r = SmtpLoad.run(server.endpoint(), false, 1, 1, n -> message, "a@example.test", Duration.ofSeconds(10));

            assertThat(r.accepted()).isEqualTo(1);
            assertThat(server.messages).containsExactly("Subject: dots\r\n\r\n.leading dot\r\n..two\r\n");
        }
    }

    @Test
    void notAvailableGreetingMeansTheServiceIsMissing() throws Exception {
        try (FakeSmtpServer missing = new FakeSmtpServer("421 4.3.2 SMTP service not available yet");
             FakeSmtpServer present = new FakeSmtpServer(null)) {
            assertThat(ServiceProbe.unavailable(Service.SMTP, missing.endpoint())).hasValueSatisfying(
                    reason -> assertThat(reason).contains("421 4.3.2"));
            assertThat(ServiceProbe.unavailable(Service.SMTP, present.endpoint())).isEmpty();
        }
    }

    @Test
    void generatedMessagesAreReproducibleSizedAndSearchable() {
        MessageGenerator g = new MessageGenerator("imapmix@example.test");
        assertThat(g.message(17, 4096)).isEqualTo(g.message(17, 4096));
        assertThat(g.message(17, 4096).length).isBetween(4096, 4096 + 100);
        int rare = 0;
        for (int n = 0; n < 1000; n++) {
            if (new String(g.message(n, 2048), StandardCharsets.US_ASCII).contains(MessageGenerator.RARE_WORD)) {
                rare++;
            }
        }
        assertThat(rare).isEqualTo(1000 / MessageGenerator.RARE_EVERY);
    }

    @Test
    void reportGivesMediansRatiosAndWhatWasMissing() {
        Report report = new Report();
        Metric rate = Metric.higher("accepted", "msg/s");
        report.add(new Row("SMTP", "1 session", rate, "Postfix 3.7", List.of(100.0, 300.0, 200.0), List.of(50.0, 100.0, 400.0),
                List.of(), List.of(1.0, 2.0, 1.5), null));
        report.add(new Row("IMAP", "mix", rate, "Dovecot 2.3", List.of(), List.of(10.0, 12.0, 11.0), List.of(), List.of(1.0),
                "mailwarden: service not available yet"));
        report.missing("IMAP, mix: mailwarden: service not available yet (IMAP greets with \"* BYE\")");

        Row smtp = report.rows().get(0);
        assertThat(smtp.mailwardenMedian()).isEqualTo(200.0);
        assertThat(smtp.peerMedian()).isEqualTo(100.0);
        assertThat(smtp.ratio()).isEqualTo(2.0);
        assertThat(smtp.mailwardenBetter()).isTrue();
        String md = report.markdown();
        assertThat(md).contains("| 1 session | accepted (msg/s, higher is better) | 200 | Postfix 3.7 | 100 | 2.00 | yes |");
        assertThat(md).contains("| mix | accepted (msg/s, higher is better) | n/a | Dovecot 2.3 | 11.0 | n/a |");
        assertThat(md).contains("## Not measured").contains("greets with \"* BYE\"");
    }

    @Test
    void percentilesAreNearestRank() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 100; i++) {
            l.record(i * 1_000_000L);
        }
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(new Latencies().percentileMillis(50)).isNaN();
    }
}
