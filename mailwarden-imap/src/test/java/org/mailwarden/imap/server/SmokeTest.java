package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest extends ImapServerTestBase {

    @Test
    void basics() throws Exception {
        deliver("Subject: hello\r\nFrom: Bob <bob@example.test>\r\n\r\nHi Alice\r\n");
        try (ImapWire w = selected("INBOX")) {
            System.out.println(w.command("CAPABILITY"));
            System.out.println(w.command("LIST \"\" *"));
            System.out.println(w.command("FETCH 1 (UID FLAGS ENVELOPE BODYSTRUCTURE BODY[])"));
            System.out.println(w.command("STORE 1 +FLAGS (\\Flagged)"));
            System.out.println(w.command("SEARCH FLAGGED"));
            System.out.println(w.command("UID SEARCH RETURN (ALL COUNT) TEXT alice"));
            System.out.println(w.command("STATUS INBOX (MESSAGES UNSEEN SIZE HIGHESTMODSEQ)"));
            System.out.println(w.command("APPEND INBOX (\\Seen) {5}\r\nhello"));
        }
    }
}
