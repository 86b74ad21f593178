package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Store;

/**
 * The whole path through {@code serve}: an authenticated user submits mail with a real client (Jakarta
 * Mail, STARTTLS and AUTH), the server relays it to the next hop, and the recipient the next hop refuses
 * comes back as an RFC 3464 report in the user's INBOX.
 */
class RelayDeliveryServeTest extends ServeTestBase {

    private ScriptedHop hop;

    @AfterEach
    void stopHelpers() throws Exception {
        if (hop != null) {
            hop.close();
        }
    }

    @Test
    void submittedMailIsRelayedAndARefusedRecipientComesBackAsAReport() throws Exception {
        hop = new ScriptedHop(rcpt -> rcpt.startsWith("<nobody@") ? "550 5.1.1 <nobody@remote.test>: no such user" : null);
        start(ProtocolServices.builtIn());
        Store store = server.store();
        long alice = addAlice();
        store.routes().put("remote.test", new HostPort("127.0.0.1", hop.port()));

        InetSocketAddress submission = server.address(ListenerRole.SUBMISSION);
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(submission.getPort()));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.timeout", "20000");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@example.test"));
        message.setRecipients(Message.RecipientType.TO, "bob@remote.test, nobody@remote.test");
        message.setSubject("plans for friday");
        message.setText("Shall we meet at noon?");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> Transport.send(message, "alice@example.test", PASSWORD));

        await().atMost(Duration.ofSeconds(20)).until(() -> store.queue().list().isEmpty() && inbox(store, alice).size() == 1);
        assertThat(hop.delivered()).containsExactly("<bob@remote.test>");
        MimeMessage report = inbox(store, alice).getFirst();
        assertThat(report.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        MimeMultipart parts = (MimeMultipart) report.getContent();
        assertThat(parts.getContentType()).contains("report-type=delivery-status");
        String status;
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(status).contains("Final-Recipient: rfc822; nobody@remote.test", "Action: failed", "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.test>: no such user").doesNotContain("bob@remote.test");
        try (InputStream in = parts.getBodyPart(2).getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("Subject: plans for friday");
        }
    }

    private static List<MimeMessage> inbox(Store store, long account) throws Exception {
        Mailboxes m = store.mailboxes();
        List<MimeMessage> out = new java.util.ArrayList<>();
        for (Mailboxes.MessageEntry e : m.messages(m.find(account, "INBOX").orElseThrow().id())) {
            try (InputStream in = m.openBody(e)) {
                out.add(new MimeMessage(Session.getInstance(new Properties()), in));
            }
        }
        return out;
    }
}
