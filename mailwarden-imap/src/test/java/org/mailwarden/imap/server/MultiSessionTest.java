package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several sessions on one mailbox: each sees the others' new messages, flag changes and expunges as
 * untagged responses where RFC 9051 allows them (never an EXPUNGE while answering FETCH, STORE or
 * SEARCH by sequence number), and IDLE pushes a delivery or a change within a second.
 */
class MultiSessionTest extends ImapServerTestBase {

    @Test
    void sessionsSeeEachOthersFlagsAppendsAndExpunges() throws IOException {
        deliver("Subject: 1\r\n\r\n1\r\n");
        deliver("Subject: 2\r\n\r\n2\r\n");
        try (ImapWire a = selected("INBOX"); ImapWire b = selected("INBOX")) {
            assertOk(a.command("STORE 1 +FLAGS (\\Flagged)"));
            assertThat(b.command("NOOP")).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Flagged))", b.lastTag() + " OK NOOP completed");

            assertOk(a.command("APPEND INBOX {5+}\r\nthree"));
            assertThat(b.command("NOOP")).containsExactly("* 3 EXISTS", b.lastTag() + " OK NOOP completed");

            assertOk(a.command("STORE 2 +FLAGS (\\Deleted)"));
            assertOk(a.command("EXPUNGE"));
            // b is answering a FETCH by sequence number: the expunge waits
            assertThat(b.command("FETCH 1:3 (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)",
                    "* 3 FETCH (UID 3)", b.lastTag() + " OK FETCH completed");
            assertThat(b.command("SEARCH ALL")).containsExactly("* SEARCH 1 2 3", b.lastTag() + " OK SEARCH completed");
            assertThat(b.command("NOOP")).containsExactly("* 2 EXPUNGE", b.lastTag() + " OK NOOP completed");
            assertThat(b.command("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)",
                    b.lastTag() + " OK FETCH completed");
        }
    }

    @Test
    void uidCommandsMayReportExpungesAndCondstoreSessionsGetModseq() throws IOException {
        deliver("Subject: 1\r\n\r\n1\r\n");
        deliver("Subject: 2\r\n\r\n2\r\n");
        try (ImapWire a = selected("INBOX"); ImapWire b = session()) {
            assertOk(b.command("ENABLE CONDSTORE"));
            assertOk(b.command("SELECT INBOX"));
            assertOk(a.command("STORE 1 +FLAGS (\\Seen)"));
            assertThat(b.command("NOOP").getFirst()).matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)");
            assertOk(a.command("STORE 1 +FLAGS (\\Deleted)"));
            assertOk(a.command("EXPUNGE"));
            List<String> r = b.command("UID FETCH 1:* (FLAGS)");
            assertThat(r).contains("* 1 EXPUNGE");
        }
    }

    @Test
    void aSessionThatExpungedAMessageFetchedByAnotherGetsExpungeIssued() throws IOException {
        deliver("Subject: 1\r\n\r\nbody one\r\n");
        try (ImapWire a = selected("INBOX"); ImapWire b = selected("INBOX")) {
            assertOk(a.command("STORE 1 +FLAGS (\\Deleted)"));
            assertOk(a.command("EXPUNGE"));
            List<String> r = b.command("FETCH 1 (BODY.PEEK[TEXT])");
            assertThat(b.completion(r)).isEqualTo("NO [EXPUNGEISSUED] Some messages were expunged meanwhile and could not be fetched");
            assertThat(b.command("NOOP")).containsExactly("* 1 EXPUNGE", b.lastTag() + " OK NOOP completed");
        }
    }

    @Test
    void idleReportsADeliveryWithinOneSecond() throws IOException {
        try (ImapWire a = selected("INBOX"); ImapWire b = selected("INBOX")) {
            a.send("I1 IDLE\r\n");
            assertThat(a.read()).isEqualTo("+ idling");
            long start = System.nanoTime();
            deliver("Subject: pushed\r\n\r\nnow\r\n");
            assertThat(a.read()).isEqualTo("* 1 EXISTS");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("IDLE push delay in ms").isLessThan(1000);

            assertThat(b.command("NOOP")).containsExactly("* 1 EXISTS", b.lastTag() + " OK NOOP completed");
            assertOk(b.command("STORE 1 +FLAGS (\\Answered)"));
            assertThat(a.read()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Answered))");
            assertOk(b.command("STORE 1 +FLAGS (\\Deleted)"));
            assertThat(a.read()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Answered \\Deleted))");
            assertOk(b.command("EXPUNGE"));
            assertThat(a.read()).isEqualTo("* 1 EXPUNGE");

            a.send("DONE\r\n");
            assertThat(a.read()).isEqualTo("I1 OK IDLE terminated");
            assertThat(a.command("NOOP")).containsExactly(a.lastTag() + " OK NOOP completed");
        }
    }

    @Test
    void idleWithoutASelectedMailboxAndAWrongEnding() throws IOException {
        try (ImapWire a = session()) {
            a.send("I1 IDLE\r\n");
            assertThat(a.read()).isEqualTo("+ idling");
            a.send("NOT DONE\r\n");
            assertThat(a.read()).isEqualTo("I1 BAD Expected DONE to end IDLE");
            assertThat(a.completion(a.command("NOOP"))).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void deletingAMailboxSelectedElsewhereEndsThatSession() throws IOException {
        try (ImapWire a = session(); ImapWire b = session()) {
            assertOk(a.command("CREATE Doomed"));
            assertOk(b.command("SELECT Doomed"));
            assertOk(a.command("DELETE Doomed"));
            b.send("N1 NOOP\r\n");
            assertThat(b.read()).isEqualTo("* BYE The selected mailbox was deleted");
            assertThat(b.read()).isNull();
        }
    }
}
