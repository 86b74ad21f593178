package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ExternalProcess;
import org.mailwarden.store.Store;

/**
 * curl's IMAP client against the server as shipped: imap:// with STARTTLS required (--ssl-reqd) and
 * imaps://, listing mailboxes, fetching a message and a section by UID, searching, uploading (APPEND)
 * and a custom command.
 */
class CurlClientTest extends ImapServerTestBase {

    private static final String MESSAGE = "From: bob@example.test\r\nSubject: curl test\r\n\r\nHello from the store\r\n";

    @Override
    void configure(Store store) {
        // defaults: LOGINDISABLED before TLS
    }

    @BeforeEach
    void message() {
        assumeTrue(ExternalProcess.available("curl"), "curl is not installed");
        deliver(MESSAGE);
    }

    private ExternalProcess curl(String url, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "-k", "--user",
                login + ":" + ImapTestServer.PASSWORD));
        command.addAll(List.of(extra));
        command.add(url);
        return ExternalProcess.run(dir, command).assertSucceeded();
    }

    @Test
    void starttlsListFetchSearchAndUpload() throws Exception {
        String base = "imap://127.0.0.1:" + server.imapPort() + "/";
        assertThat(curl(base, "--ssl-reqd").stdout()).contains("* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent");
        assertThat(curl(base + "INBOX;UID=1", "--ssl-reqd").stdout()).isEqualTo(MESSAGE);
        assertThat(curl(base + "INBOX;UID=1;SECTION=TEXT", "--ssl-reqd").stdout()).isEqualTo("Hello from the store\r\n");
        assertThat(curl(base + "INBOX?SUBJECT%20curl", "--ssl-reqd").stdout()).isEqualTo("* SEARCH 1\r\n");
        Path upload = Files.writeString(dir.resolve("upload.eml"), "Subject: uploaded\r\n\r\nby curl\r\n");
        curl(base + "Drafts", "--ssl-reqd", "-T", upload.toString());
        assertThat(curl(base, "--ssl-reqd", "-X", "STATUS Drafts (MESSAGES)").stdout()).isEqualTo("* STATUS Drafts (MESSAGES 1)\r\n");
    }

    @Test
    void imapsFetch() throws Exception {
        String base = "imaps://127.0.0.1:" + server.imapsPort() + "/";
        assertThat(curl(base + "INBOX;UID=1").stdout()).isEqualTo(MESSAGE);
        assertThat(curl(base + "INBOX", "-X", "FETCH 1 (FLAGS)").stdout()).isEqualTo("* 1 FETCH (FLAGS (\\Seen))\r\n");
    }

    @Test
    void plainImapWithoutTlsCannotLogIn() throws Exception {
        ExternalProcess p = ExternalProcess.run(dir, List.of("curl", "-sS", "--max-time", "30", "--user",
                login + ":" + ImapTestServer.PASSWORD, "imap://127.0.0.1:" + server.imapPort() + "/INBOX;UID=1"));
        assertThat(p.exitCode()).isNotZero();
        assertThat(p.stdout()).isEmpty();
    }
}
