package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;

/**
 * Angus Mail's IMAP provider (the Jakarta Mail reference client) over IMAPS and STARTTLS: folders and
 * their hierarchy, flags seen from another connection, a nested multipart fetched part by part through
 * BODYSTRUCTURE, message/rfc822 and an attachment, search, UIDPLUS append/copy/move, and IDLE.
 */
class AngusMailClientTest extends ImapServerTestBase {

    private Store connect(boolean starttls) throws Exception {
        Properties p = new Properties();
        String protocol = starttls ? "imap" : "imaps";
        p.put("mail." + protocol + ".ssl.trust", "*");
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "20000");
        if (starttls) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        Store store = Session.getInstance(p).getStore(protocol);
        store.connect("127.0.0.1", starttls ? server.imapPort() : server.imapsPort(), login, ImapTestServer.PASSWORD);
        return store;
    }

    @Test
    void foldersAndTheirHierarchy() throws Exception {
        try (Store store = connect(true)) {
            Folder root = store.getDefaultFolder();
            assertThat(root.getSeparator()).isEqualTo('/');
            assertThat(Arrays.stream(root.list()).map(Folder::getName))
                    .contains("INBOX", "Drafts", "Sent", "Trash", "Junk", "Archive");
            Folder projects = store.getFolder("Projects/Alpha");
            assertThat(projects.create(Folder.HOLDS_MESSAGES)).isTrue();
            assertThat(store.getFolder("Projects").exists()).isTrue();
            assertThat(Arrays.stream(store.getFolder("Projects").list()).map(Folder::getFullName)).containsExactly("Projects/Alpha");
            Folder renamed = store.getFolder("Projects/Beta");
            assertThat(projects.renameTo(renamed)).isTrue();
            assertThat(store.getFolder("Projects/Alpha").exists()).isFalse();
            assertThat(renamed.exists()).isTrue();
            assertThat(renamed.delete(false)).isTrue();
            assertThat(renamed.exists()).isFalse();
        }
    }

    @Test
    void nestedMultipartIsFetchedPartByPart() throws Exception {
        deliver(FetchConformanceTest.NESTED);
        try (Store store = connect(false)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message m = inbox.getMessage(1);
            FetchProfile profile = new FetchProfile();
            profile.add(FetchProfile.Item.ENVELOPE);
            profile.add(FetchProfile.Item.CONTENT_INFO);
            inbox.fetch(new Message[] {m}, profile);
            assertThat(m.getSubject()).isEqualTo("Café report");
            assertThat(MimeUtility.decodeText(m.getFrom()[0].toString())).isEqualTo("Björn Example <bjorn@example.test>");
            assertThat(m.getContentType()).startsWith("multipart/mixed");

            Multipart mixed = (Multipart) m.getContent();
            assertThat(mixed.getCount()).isEqualTo(3);
            Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
            assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Grüße aus München\r\nSecond line of the plain part.");
            assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");

            BodyPart forwarded = mixed.getBodyPart(1);
            assertThat(forwarded.isMimeType("message/rfc822")).isTrue();
            MimeMessage inner = (MimeMessage) forwarded.getContent();
            assertThat(inner.getSubject()).isEqualTo("inner message");
            assertThat(((Multipart) inner.getContent()).getBodyPart(0).getContent()).isEqualTo("inner text");

            BodyPart pdf = mixed.getBodyPart(2);
            assertThat(pdf.getFileName()).isEqualTo("report.pdf");
            assertThat(pdf.getDisposition()).isEqualTo("attachment");
            try (InputStream in = pdf.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("%PDF-1.4");
            }
            inbox.close(false);
        }
    }

    @Test
    void flagsAreSeenByAnotherConnectionAndSearchFindsThem() throws Exception {
        deliver("Subject: one\r\n\r\nfirst\r\n");
        deliver("Subject: two\r\n\r\nsecond\r\n");
        try (Store a = connect(false); Store b = connect(true)) {
            Folder inboxA = a.getFolder("INBOX");
            inboxA.open(Folder.READ_WRITE);
            Message two = inboxA.getMessage(2);
            two.setFlag(Flags.Flag.FLAGGED, true);
            two.setFlags(new Flags("$Work"), true);

            Folder inboxB = b.getFolder("INBOX");
            inboxB.open(Folder.READ_WRITE);
            Message seen = inboxB.getMessage(2);
            assertThat(seen.isSet(Flags.Flag.FLAGGED)).isTrue();
            assertThat(seen.getFlags().contains("$Work")).isTrue();
            assertThat(inboxB.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true))).extracting(Message::getMessageNumber)
                    .containsExactly(2);
            assertThat(inboxB.search(new SubjectTerm("ONE"))).extracting(Message::getMessageNumber).containsExactly(1);

            inboxB.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            inboxB.close(true);
            // Jakarta Mail keeps message numbers until the client expunges; the server's EXPUNGE marks the message
            ((IMAPFolder) inboxA).doCommand(protocol -> {
                protocol.simpleCommand("NOOP", null);
                return null;
            });
            assertThat(inboxA.getMessage(1).isExpunged()).isTrue();
            assertThat(inboxA.getMessage(2).getSubject()).isEqualTo("two");
            inboxA.close(false);
        }
    }

    @Test
    void uidplusAppendCopyAndMove() throws Exception {
        try (Store store = connect(false)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream("Subject: appended\r\n\r\nby angus\r\n".getBytes(StandardCharsets.US_ASCII)));
            AppendUID[] appended = inbox.appendUIDMessages(new Message[] {message});
            assertThat(appended[0].uid).isEqualTo(1);
            assertThat(appended[0].uidvalidity).isEqualTo(inbox.getUIDValidity());
            inbox.getMessageCount();
            Message first = inbox.getMessageByUID(1);
            IMAPFolder archive = (IMAPFolder) store.getFolder("Archive");
            AppendUID[] copied = inbox.copyUIDMessages(new Message[] {first}, archive);
            assertThat(copied[0].uid).isEqualTo(1);
            AppendUID[] moved = inbox.moveUIDMessages(new Message[] {first}, store.getFolder("Trash"));
            assertThat(moved[0].uid).isEqualTo(1);
            assertThat(first.isExpunged()).isTrue();
            archive.open(Folder.READ_ONLY);
            assertThat(archive.getMessage(1).getSubject()).isEqualTo("appended");
            archive.close(false);
            inbox.close(false);
        }
    }

    @Test
    void idleHearsANewDelivery() throws Exception {
        try (Store store = connect(false)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            CountDownLatch added = new CountDownLatch(1);
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    added.countDown();
                }
            });
            Thread idler = Thread.ofVirtual().start(() -> {
                try {
                    inbox.idle(true);
                } catch (Exception e) {
                    // the folder closes at the end of the test
                }
            });
            Thread.sleep(300);
            deliver("Subject: pushed\r\n\r\nwake up\r\n");
            assertThat(added.await(5, TimeUnit.SECONDS)).as("IDLE reported the delivery").isTrue();
            idler.join(5000);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            inbox.close(false);
        }
    }
}
