package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.eclipse.angus.mail.pop3.POP3Message;
import org.junit.jupiter.api.Test;

/**
 * Angus Mail's POP3 provider (the Jakarta Mail reference client) over STLS and POP3S: counts, sizes,
 * UIDs, TOP, full content, DELETED flag plus close(expunge), and the maildrop lock as a client sees it.
 */
class AngusMailClientTest extends Pop3ClientTestBase {

    static final String MSG1 = "From: bob@elsewhere.test\r\nTo: alice@example.test\r\nSubject: angus one\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\nFirst body.\r\n.\r\nAfter a lone dot.\r\n";
    static final String MSG2 = "From: carol@elsewhere.test\r\nTo: alice@example.test\r\nSubject: angus two\r\n\r\nSecond.\r\n";

    @Override
    List<String> messages() {
        return List.of(MSG1, MSG2);
    }

    private static Session session() {
        Properties p = new Properties();
        p.put("mail.pop3.starttls.enable", "true");
        p.put("mail.pop3.starttls.required", "true");
        p.put("mail.pop3.ssl.trust", "*");
        p.put("mail.pop3s.ssl.trust", "*");
        p.put("mail.pop3.ssl.checkserveridentity", "false");
        p.put("mail.pop3s.ssl.checkserveridentity", "false");
        p.put("mail.pop3.connectiontimeout", "10000");
        p.put("mail.pop3.timeout", "30000");
        p.put("mail.pop3s.timeout", "30000");
        return Session.getInstance(p);
    }

    private jakarta.mail.Store connect(String protocol, int port, String user) throws MessagingException {
        jakarta.mail.Store s = session().getStore(protocol);
        s.connect("127.0.0.1", port, user, "alice-secret");
        return s;
    }

    private static byte[] raw(Message m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void readsAndDeletesOverStls() throws Exception {
        long validity = server.inbox(alice.id()).uidValidity();
        long uid1 = server.inboxMessages(alice.id()).getFirst().uid();
        jakarta.mail.Store mail = connect("pop3", server.pop3Port(), "EXAMPLE\\alice");
        try {
            POP3Folder inbox = (POP3Folder) mail.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            Message[] messages = inbox.getMessages();
            assertThat(inbox.getSizes()).as("LIST sizes").containsExactly(MSG1.length(), MSG2.length());
            assertThat(inbox.getUID(messages[0])).isEqualTo(validity + "." + uid1);
            assertThat(messages[0].getSubject()).isEqualTo("angus one");
            assertThat(raw(messages[0])).isEqualTo(MSG1.getBytes(StandardCharsets.UTF_8));
            assertThat(messages[0].getContent().toString()).isEqualTo("First body.\r\n.\r\nAfter a lone dot.\r\n");
            try (InputStream top = ((POP3Message) messages[1]).top(0)) {
                assertThat(new String(top.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(MSG2.substring(0, MSG2.indexOf("\r\n\r\n") + 4));
            }
            messages[0].setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            mail.close();
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(1);
    }

    @Test
    void readsOverPop3sAndCloseWithoutExpungeKeepsEverything() throws Exception {
        jakarta.mail.Store mail = connect("pop3s", server.pop3sPort(), "alice@example.test");
        try {
            Folder inbox = mail.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message second = inbox.getMessage(2);
            assertThat(raw(second)).isEqualTo(MSG2.getBytes(StandardCharsets.UTF_8));
            second.setFlag(Flags.Flag.DELETED, true);
            inbox.close(false);
        } finally {
            mail.close();
        }
        assertThat(server.inboxMessages(alice.id())).hasSize(2);
    }

    @Test
    void secondClientIsToldTheMaildropIsInUse() throws Exception {
        jakarta.mail.Store first = connect("pop3s", server.pop3sPort(), "alice");
        Folder inbox = first.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            jakarta.mail.Store second = session().getStore("pop3s");
            assertThatThrownBy(() -> {
                second.connect("127.0.0.1", server.pop3sPort(), "alice", "alice-secret");
                second.getFolder("INBOX").open(Folder.READ_ONLY);
            }).isInstanceOf(MessagingException.class).hasMessageContaining("IN-USE");
        } finally {
            inbox.close(false);
            first.close();
        }
    }
}
