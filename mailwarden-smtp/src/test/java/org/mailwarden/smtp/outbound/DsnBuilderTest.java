package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;

/** The shape of a notice, checked by parsing it with Jakarta Mail. */
class DsnBuilderTest {

    private static final Instant ARRIVED = Instant.parse("2026-11-27T10:00:00Z");

    private static byte[] build(String to, QueuedRecipient... rcpts) {
        QueuedMessage m = new QueuedMessage(1, "QDSN", "alice@example.test", ARRIVED, 40, 1, true, "ENV-7", null, false,
                List.of(rcpts));
        return DsnBuilder.build(new DsnBuilder.Report("mx.mailwarden.test", to, m,
                "Subject: hi\r\nFrom: alice@example.test\r\n\r\n".getBytes(StandardCharsets.UTF_8), false,
                ARRIVED.plusSeconds(3600), ARRIVED.plusSeconds(5 * 86400)));
    }

    private static QueuedRecipient rcpt(String address, Notice notice, String reply) {
        return new QueuedRecipient(7, address, "rfc822;" + address, null, RecipientState.FAILED, 2, ARRIVED, reply,
                "mx.remote.test[192.0.2.1]", ARRIVED.plusSeconds(60), notice, false);
    }

    @Test
    void aMixedReportHasOneGroupPerRecipientAndEveryLineEndsInCrLf() throws Exception {
        byte[] dsn = build("alice@example.test", rcpt("bob@remote.test", Notice.FAILED, "550 5.1.1 unknown"),
                rcpt("carol@remote.test", Notice.DELAYED, "451 4.3.0 later"));
        String text = new String(dsn, StandardCharsets.UTF_8);
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
        MimeMultipart report = (MimeMultipart) m.getContent();
        assertThat(report.getContentType()).contains("report-type=delivery-status");
        String status = new String(report.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(status).startsWith("Reporting-MTA: dns; mx.mailwarden.test\r\n").contains(
                "Original-Envelope-Id: ENV-7\r\n", "Arrival-Date: Fri, 27 Nov 2026 10:00:00 GMT\r\n",
                "\r\n\r\nOriginal-Recipient: rfc822;bob@remote.test\r\nFinal-Recipient: rfc822; bob@remote.test\r\n"
                        + "Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.remote.test\r\n"
                        + "Diagnostic-Code: smtp; 550 5.1.1 unknown\r\nLast-Attempt-Date: Fri, 27 Nov 2026 10:01:00 GMT\r\n",
                "Action: delayed\r\nStatus: 4.3.0\r\n", "Will-Retry-Until: Wed, 2 Dec 2026 10:00:00 GMT\r\n");
        assertThat(m.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(m.getHeader("Date", null)).isEqualTo("Fri, 27 Nov 2026 11:00:00 GMT");
    }

    @Test
    void utf8AddressesMakeAGlobalDeliveryStatus() throws Exception {
        byte[] dsn = build("alice@example.test", rcpt("j\u00f6rg@remote.test", Notice.FAILED, "550 5.1.1 unknown"));
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
        MimeMultipart report = (MimeMultipart) m.getContent();
        assertThat(report.getBodyPart(1).getContentType()).startsWith("message/global-delivery-status");
        String status = new String(report.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(status).contains("Final-Recipient: utf-8; j\u00f6rg@remote.test");
    }
}
