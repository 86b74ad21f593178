package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.testing.TestContent;

/** Delivery status notifications: who gets them, what they say, and who never gets one. */
class NoticeTest extends HarnessTestBase {

    private static final String ORIGINAL = "From: Alice <alice@example.test>\r\nTo: bob@remote.test\r\nSubject: lunch?\r\n"
            + "Message-ID: <m1@example.test>\r\n\r\nAre you free today?\r\n";

    @BeforeEach
    void start() throws Exception {
        h = new Harness(dir);
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> {
            if (verb.equals("RCPT") && arg.startsWith("<nobody@")) {
                return "550 5.1.1 <nobody@remote.test>: Recipient address rejected: User unknown";
            }
            if (verb.equals("RCPT") && arg.startsWith("<busy@")) {
                return "452 4.2.2 Mailbox full";
            }
            return null;
        };
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
    }

    private static String part(MimeMultipart report, int index) throws Exception {
        BodyPart p = report.getBodyPart(index);
        Object content = p.getContent();
        if (content instanceof String s) {
            return s;
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPermanentFailureReturnsAnRfc3464ReportToTheLocalSendersInbox() throws Exception {
        String id = h.queue("alice@example.test", true, ORIGINAL, "nobody@remote.test", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));

        List<MessageEntry> inbox = h.inbox(h.alice);
        assertThat(inbox).hasSize(1);
        assertThat(h.text(inbox.getFirst())).startsWith("Return-Path: <>\r\n");
        MimeMessage dsn = h.read(inbox.getFirst());
        assertThat(dsn.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(dsn.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        MimeMultipart report = (MimeMultipart) dsn.getContent();
        assertThat(report.getCount()).isEqualTo(3);
        assertThat(report.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(part(report, 0)).contains("could not be delivered").contains("<nobody@remote.test>: failed");
        assertThat(report.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        String status = part(report, 1);
        assertThat(status).contains("Reporting-MTA: dns; " + Harness.HOSTNAME, "X-Mailwarden-Queue-ID: " + id,
                "Final-Recipient: rfc822; nobody@remote.test", "Action: failed", "Status: 5.1.1",
                "Remote-MTA: dns; 127.0.0.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: Recipient address rejected: User unknown");
        assertThat(status).doesNotContain("bob@remote.test");
        assertThat(report.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(part(report, 2)).contains("Subject: lunch?").contains("Message-ID: <m1@example.test>")
                .doesNotContain("Are you free");
        // The good recipient was delivered in the same transaction.
        assertThat(sink.received()).singleElement().extracting(SmtpSink.Received::rcptTo).isEqualTo(List.of("<bob@remote.test>"));
    }

    @Test
    void retFullReturnsTheWholeMessage() throws Exception {
        String id = h.queue("alice@example.test", true, TestContent.of(ORIGINAL), "FULL", "nobody@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        MimeMultipart report = (MimeMultipart) h.read(h.inbox(h.alice).getFirst()).getContent();
        assertThat(report.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        assertThat(h.text(h.inbox(h.alice).getFirst())).contains("Are you free today?");
    }

    @Test
    void noNoticeEverGoesToAStrangerOrToTheNullSender() throws Exception {
        String stranger = h.queue("someone@elsewhere.test", false, ORIGINAL, "nobody@remote.test");
        String nullSender = h.queue("", false, ORIGINAL, "nobody@remote.test");
        // Even a local-looking sender that the server did not vouch for gets nothing.
        String forged = h.queue("alice@example.test", false, ORIGINAL, "nobody@remote.test");
        h.start();
        h.waitFor(() -> h.gone(stranger) && h.gone(nullSender) && h.gone(forged));
        Thread.sleep(300);
        assertThat(h.queue()).isEmpty();
        assertThat(h.inbox(h.alice)).isEmpty();
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void aDelayNoticeComesOnceAfterFourHoursAndAFailureWhenTheMessageExpires() throws Exception {
        String id = h.queue("alice@example.test", true, ORIGINAL, "busy@remote.test");
        h.start();
        h.waitFor(() -> h.recipient(id, "busy@remote.test").attempts() == 1);
        assertThat(h.inbox(h.alice)).isEmpty();

        h.clock.advance(Duration.ofHours(4).plusMinutes(1));
        h.waitFor(() -> h.inbox(h.alice).size() == 1);
        MimeMessage delay = h.read(h.inbox(h.alice).getFirst());
        assertThat(delay.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        String status = part((MimeMultipart) delay.getContent(), 1);
        assertThat(status).contains("Action: delayed", "Status: 4.2.2", "Will-Retry-Until: ",
                "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full");
        assertThat(h.recipient(id, "busy@remote.test").state()).isEqualTo(RecipientState.DEFERRED);

        h.clock.advance(Duration.ofHours(2));
        h.waitFor(() -> h.recipient(id, "busy@remote.test").attempts() == 3);
        h.clock.advance(Duration.ofDays(5));
        h.waitFor(() -> h.gone(id));
        List<MessageEntry> inbox = h.inbox(h.alice);
        assertThat(inbox).hasSize(2);
        MimeMessage failure = h.read(inbox.get(1));
        assertThat(failure.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(part((MimeMultipart) failure.getContent(), 1)).contains("Action: failed", "Status: 4.4.7",
                "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full");
    }

    @Test
    void aNoticeForAForeignSenderIsQueuedAndIfItFailsThePostmasterIsToldOnce() throws Exception {
        Account postmaster = h.store.accounts().add("postmaster", "example.test", "hash", null);
        h.store.routes().put("partner.test", new HostPort("127.0.0.1", sink.port()));
        // An authenticated user sending as a foreign address: the server vouches for the sender.
        String id = h.queue("nobody@remote.test", true, ORIGINAL, "nobody@remote.test");
        h.start();
        // The notice goes to <nobody@remote.test>, which the sink refuses too: the postmaster hears of it.
        h.waitFor(() -> h.inbox(postmaster).size() == 1);
        h.waitFor(() -> h.queue().isEmpty());
        assertThat(h.gone(id)).isTrue();
        MimeMessage toPostmaster = h.read(h.inbox(postmaster).getFirst());
        assertThat(toPostmaster.getSubject()).isEqualTo("Undeliverable delivery status notification");
        MimeMultipart report = (MimeMultipart) toPostmaster.getContent();
        assertThat(part(report, 1)).contains("Final-Recipient: rfc822; nobody@remote.test", "Action: failed");
        assertThat(report.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        assertThat(h.inbox(h.alice)).isEmpty();
        // The sink saw the notice attempt from the null sender with NOTIFY=NEVER, and nothing after it.
        assertThat(sink.commands()).anyMatch(c -> c.endsWith("RCPT TO:<nobody@remote.test> NOTIFY=NEVER"));
        Thread.sleep(300);
        assertThat(h.inbox(postmaster)).hasSize(1);
    }

    @Test
    void successIsReportedWhenAskedAndTheNextHopCannotReportIt() throws Exception {
        SmtpSink.Config config = new SmtpSink.Config();
        config.extensions = List.of("PIPELINING", "8BITMIME");
        try (SmtpSink noDsn = SmtpSink.start(config)) {
            h.store.routes().put("nodsn.test", new HostPort("127.0.0.1", noDsn.port()));
            String id = "QSUCCESS";
            h.store.accept(new AcceptRequest(id, "alice@example.test", null, List.of(), TestContent.of(ORIGINAL),
                    List.of(new AcceptRequest.OutboundRecipient("bob@nodsn.test", "rfc822;bob@nodsn.test", "SUCCESS")),
                    true, "ENV42", null));
            h.start();
            h.waitFor(() -> h.gone(id));
            MimeMessage report = h.read(h.inbox(h.alice).getFirst());
            assertThat(report.getSubject()).isEqualTo("Successful Mail Delivery Report");
            assertThat(part((MimeMultipart) report.getContent(), 1)).contains("Original-Envelope-Id: ENV42",
                    "Original-Recipient: rfc822;bob@nodsn.test", "Action: relayed", "Status: 2.0.0");
        }
    }

    @Test
    void aQueuedNoticeIsMarkedAsANotice() {
        String id = h.queue("carol@elsewhere.test", true, ORIGINAL, "nobody@remote.test");
        h.store.routes().put("elsewhere.test", new HostPort("127.0.0.1", 1));
        h.start();
        h.waitFor(() -> h.gone(id) && !h.queue().isEmpty());
        QueuedMessage notice = h.queue().getFirst();
        assertThat(notice.queueId()).startsWith(id + "-F");
        assertThat(notice.notice()).isTrue();
        assertThat(notice.sender()).isEmpty();
        assertThat(notice.notifyAllowed()).isFalse();
        assertThat(notice.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("carol@elsewhere.test");
            assertThat(r.dsnNotify()).isEqualTo("NEVER");
        });
    }
}
