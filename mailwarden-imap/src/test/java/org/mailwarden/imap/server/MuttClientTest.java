package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.Store;

/**
 * mutt, driven in batch through a pseudo-terminal ({@code script}), against the server as shipped: it
 * connects with STARTTLS (trusting the test certificate), opens INBOX, flags the message, copies it into
 * a local mbox and quits. The test checks the mbox and the flag in the store.
 */
class MuttClientTest extends ImapServerTestBase {

    @Override
    void configure(Store store) {
        // defaults: LOGINDISABLED before TLS
    }

    @Test
    void muttReadsFlagsAndCopiesAMessage() throws Exception {
        assumeTrue(ExternalProcess.available("mutt") && ExternalProcess.available("script"), "mutt or script is missing");
        deliver("From: Bob <bob@example.test>\r\nTo: " + login + "\r\nSubject: for mutt\r\n"
                + "Date: Mon, 6 May 2024 07:08:09 +0200\r\nMessage-ID: <mutt@example.test>\r\n\r\nread me in mutt\r\n");
        Path mbox = dir.resolve("copied.mbox");
        Path rc = Files.writeString(dir.resolve("muttrc"), String.join("\n",
                "set imap_user=\"" + login + "\"",
                "set imap_pass=\"" + ImapTestServer.PASSWORD + "\"",
                "set ssl_starttls=yes",
                "set ssl_force_tls=yes",
                "set ssl_verify_host=no",
                "set certificate_file=\"" + ImapTestServer.certificate() + "\"",
                "set folder=\"imap://127.0.0.1:" + server.imapPort() + "/\"",
                "set spoolfile=\"+INBOX\"",
                "set mbox_type=mbox",
                "set confirmappend=no",
                "set confirmcreate=no",
                "set quit=yes",
                "set imap_passive=no",
                "set header_cache=\"\"",
                "set message_cachedir=\"\"",
                "") + "\n");
        String mutt = "mutt -n -F " + rc + " -e 'push \"<flag-message><copy-message>" + mbox + "<enter><sync-mailbox><quit>\"'";
        ExternalProcess p = ExternalProcess.run(dir, List.of("script", "-q", "-e", "-c", mutt, "/dev/null"),
                Map.of("TERM", "xterm", "COLUMNS", "120", "LINES", "40"));
        assertThat(Files.exists(mbox)).as("mutt output:\n" + p.stdout() + p.stderr()).isTrue();
        assertThat(Files.readString(mbox)).contains("Subject: for mutt").contains("read me in mutt");
        long inbox = server.store().mailboxes().find(alice.id(), "INBOX").orElseThrow().id();
        MessageEntry m = server.store().mailboxes().messages(inbox).getFirst();
        assertThat(m.flags()).contains("\\Flagged");
    }
}
