package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.testing.TestContent;

/** Relayed mail reaching SMTP servers on loopback: routes, smarthost, MX, retries, extensions. */
class DeliveryTest extends HarnessTestBase {

    private void routeTo(String domain, SmtpSink s) {
        h.store.routes().put(domain, new HostPort("127.0.0.1", s.port()));
    }

    @Test
    void allRecipientsOfAMessageArriveInOneTransactionByteForByte() throws Exception {
        h = new Harness(dir);
        sink = SmtpSink.start();
        routeTo("remote.test", sink);
        String body = "Received: from client\r\nSubject: hello\r\n\r\n.leading dot\r\n..two\r\ncaf\u00e9\r\n.\r\nend\r\n";
        String id = h.queue("alice@example.test", true, body, "bob@remote.test", "carol@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));

        assertThat(sink.received()).hasSize(1);
        SmtpSink.Received got = sink.received().getFirst();
        assertThat(got.mailFrom()).startsWith("<alice@example.test>").contains("BODY=8BITMIME").contains("SIZE=");
        assertThat(got.rcptTo()).containsExactly("<bob@remote.test>", "<carol@remote.test>");
        assertThat(got.data()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneConnectionCarriesEveryMessageForItsHost() throws Exception {
        h = new Harness(dir);
        sink = SmtpSink.start();
        routeTo("remote.test", sink);
        h.settings.put("outbound.max_connections_per_host", "1");
        List<String> ids = List.of(h.queue("alice@example.test", true, "Subject: 1\r\n\r\none\r\n", "bob@remote.test"),
                h.queue("alice@example.test", true, "Subject: 2\r\n\r\ntwo\r\n", "bob@remote.test"),
                h.queue("", false, "Subject: 3\r\n\r\nthree\r\n", "carol@remote.test"));
        h.start();
        h.waitFor(() -> ids.stream().allMatch(h::gone));
        assertThat(sink.received()).hasSize(3);
        assertThat(sink.connections()).isEqualTo(1);
        assertThat(sink.received()).filteredOn(r -> r.mailFrom().startsWith("<>")).hasSize(1);
    }

    @Test
    void aTemporaryFailureIsRetriedAfterTheIntervalAndOnlyForThatRecipient() throws Exception {
        h = new Harness(dir);
        AtomicInteger bobTries = new AtomicInteger();
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> verb.equals("RCPT") && arg.startsWith("<bob@") && bobTries.incrementAndGet() == 1
                ? "451 4.3.0 mailbox busy, try later" : null;
        sink = SmtpSink.start(config);
        routeTo("remote.test", sink);
        String id = h.queue("alice@example.test", true, "Subject: retry\r\n\r\nbody\r\n", "bob@remote.test", "carol@remote.test");
        h.start();
        h.waitFor(() -> h.recipient(id, "bob@remote.test").state() == RecipientState.DEFERRED);

        QueuedRecipient bob = h.recipient(id, "bob@remote.test");
        assertThat(bob.attempts()).isEqualTo(1);
        assertThat(bob.lastReply()).isEqualTo("451 4.3.0 mailbox busy, try later");
        assertThat(bob.remoteMta()).isEqualTo("127.0.0.1[127.0.0.1]");
        assertThat(bob.nextAttempt()).isEqualTo(Harness.START.plus(Duration.ofMinutes(5)));
        assertThat(h.recipient(id, "carol@remote.test").state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(sink.received()).hasSize(1);
        assertThat(sink.received().getFirst().rcptTo()).containsExactly("<carol@remote.test>");

        h.clock.advance(Duration.ofMinutes(4));
        Thread.sleep(200);
        assertThat(bobTries.get()).isEqualTo(1);
        h.clock.advance(Duration.ofMinutes(1));
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).hasSize(2);
        assertThat(sink.received().get(1).rcptTo()).containsExactly("<bob@remote.test>");
        assertThat(h.inbox(h.alice)).isEmpty();
    }

    @Test
    void theSmarthostTakesAllMailWithoutRoute() throws Exception {
        h = new Harness(dir);
        sink = SmtpSink.start();
        SmtpSink routed = SmtpSink.start();
        try {
            h.store.routes().setSmarthost(new HostPort("127.0.0.1", sink.port()));
            routeTo("partner.test", routed);
            String id = h.queue("alice@example.test", true, "Subject: s\r\n\r\nx\r\n", "a@anywhere.test", "b@partner.test",
                    "c@elsewhere.test");
            h.start();
            h.waitFor(() -> h.gone(id));
            assertThat(sink.received()).singleElement().extracting(SmtpSink.Received::rcptTo)
                    .isEqualTo(List.of("<a@anywhere.test>", "<c@elsewhere.test>"));
            assertThat(routed.received()).singleElement().extracting(SmtpSink.Received::rcptTo)
                    .isEqualTo(List.of("<b@partner.test>"));
        } finally {
            routed.close();
        }
    }

    @Test
    void mxHostsAreTriedInOrderFromTheConfiguredDnsServer() throws Exception {
        h = new Harness(dir);
        sink = SmtpSink.start();
        try (TestDnsServer dns = new TestDnsServer()) {
            // The preferred MX has nothing listening on its port; the next one is the sink.
            dns.mx("remote.test", 10, "mx1.remote.test").mx("remote.test", 20, "mx2.remote.test")
                    .a("mx1.remote.test", "127.0.0.2").a("mx2.remote.test", "127.0.0.1")
                    .a("plain.test", "127.0.0.1").mx("nomail.test", 0, ".");
            h.settings.put("dns.servers", dns.setting());
            h.settings.put("outbound.mx_port", String.valueOf(sink.port()));
            String id = h.queue("", false, "Subject: mx\r\n\r\nx\r\n", "bob@remote.test", "joe@plain.test", "no@nomail.test");
            h.start();
            h.waitFor(() -> h.gone(id));
            assertThat(sink.received()).extracting(SmtpSink.Received::rcptTo).containsExactlyInAnyOrder(
                    List.of("<bob@remote.test>"), List.of("<joe@plain.test>"));
        }
    }

    @Test
    void aMessageTooLargeForTheHostFailsBeforeMailFrom() throws Exception {
        h = new Harness(dir);
        SmtpSink.Config config = new SmtpSink.Config();
        config.extensions = List.of("PIPELINING", "SIZE 100", "8BITMIME");
        sink = SmtpSink.start(config);
        routeTo("remote.test", sink);
        String id = h.queue("alice@example.test", true, TestContent.of("Subject: big\r\n\r\n" + "x".repeat(500) + "\r\n"),
                null, "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(h.text(h.inbox(h.alice).getFirst())).contains("Status: 5.3.4").contains("message size 518 exceeds the limit of 100 octets");
        assertThat(sink.commands()).noneMatch(c -> c.contains("MAIL"));
    }

    @Test
    void eightBitMailToAServerWithout8BitMimeIsReturnedAndSevenBitMailIsSentPlainly() throws Exception {
        h = new Harness(dir);
        SmtpSink.Config config = new SmtpSink.Config();
        config.extensions = List.of("SIZE 1000000");
        sink = SmtpSink.start(config);
        routeTo("remote.test", sink);
        String eight = h.queue("alice@example.test", true, "Subject: x\r\n\r\ncaf\u00e9\r\n", "bob@remote.test");
        String seven = h.queue("", false, "Subject: y\r\n\r\ncafe\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(seven) && h.gone(eight));
        assertThat(h.text(h.inbox(h.alice).getFirst())).contains("Status: 5.6.3").contains("does not support 8BITMIME");
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.mailFrom()).isEqualTo("<> SIZE=20"));
        // Without PIPELINING every command waited for its reply.
        assertThat(sink.commands()).map(c -> c.substring(c.indexOf(' ') + 1))
                .contains("MAIL FROM:<> SIZE=20", "RCPT TO:<bob@remote.test>", "DATA");
    }

    @Test
    void aServerThatOnlyKnowsHeloGetsPlainSmtp() throws Exception {
        h = new Harness(dir);
        SmtpSink.Config config = new SmtpSink.Config();
        config.ehlo = false;
        sink = SmtpSink.start(config);
        routeTo("remote.test", sink);
        String id = h.queue("alice@example.test", true, "Subject: old\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.mailFrom()).isEqualTo("<alice@example.test>"));
        assertThat(sink.commands()).anyMatch(c -> c.startsWith("1 HELO " + Harness.HOSTNAME));
    }

    @Test
    void dsnParametersArePassedOnToAHopThatSupportsDsn() throws Exception {
        h = new Harness(dir);
        sink = SmtpSink.start();
        routeTo("remote.test", sink);
        String id = "QDSN1";
        h.store.accept(new org.mailwarden.store.AcceptRequest(id, "alice@example.test", null, List.of(),
                TestContent.of("Subject: d\r\n\r\nx\r\n"), List.of(new org.mailwarden.store.AcceptRequest.OutboundRecipient(
                "bob@remote.test", "rfc822;bob@remote.test", "FAILURE,SUCCESS")), true, "env+2B1", "HDRS"));
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received().getFirst().mailFrom()).contains(" RET=HDRS").contains(" ENVID=env+2B2B1");
        assertThat(sink.commands()).contains("1 RCPT TO:<bob@remote.test> NOTIFY=FAILURE,SUCCESS ORCPT=rfc822;bob@remote.test");
        // The next hop reports success itself, so no relayed notice is made here.
        assertThat(h.inbox(h.alice)).isEmpty();
    }
}
