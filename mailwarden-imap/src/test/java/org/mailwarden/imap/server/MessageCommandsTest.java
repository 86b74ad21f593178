package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The selected state with exact responses: STORE (FLAGS, +FLAGS, -FLAGS, .SILENT, UNCHANGEDSINCE), COPY
 * and MOVE with COPYUID, EXPUNGE and UID EXPUNGE, APPEND with APPENDUID and its refusals, CLOSE and
 * UNSELECT, CHECK, and CONDSTORE/QRESYNC resynchronisation.
 */
class MessageCommandsTest extends ImapServerTestBase {

    private ImapWire w;
    private long uidValidity;

    @BeforeEach
    void threeMessages() throws IOException {
        for (int i = 1; i <= 3; i++) {
            deliver("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n");
        }
        uidValidity = server.store().mailboxes().find(alice.id(), "INBOX").orElseThrow().uidValidity();
        w = selected("INBOX");
    }

    @AfterEach
    void logout() throws IOException {
        w.close();
    }

    private List<String> ok(String command) throws IOException {
        return untagged(assertOk(w.command(command)));
    }

    @Test
    void storeChangesFlagsAndAnswersWithFetch() throws IOException {
        assertThat(ok("STORE 1:2 +FLAGS (\\Flagged $Work)")).containsExactly(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* 1 FETCH (UID 1 FLAGS (\\Flagged $Work))", "* 2 FETCH (UID 2 FLAGS (\\Flagged $Work))");
        assertThat(ok("STORE 2 -FLAGS \\Flagged")).containsExactly("* 2 FETCH (UID 2 FLAGS ($Work))");
        assertThat(ok("STORE 3 FLAGS.SILENT (\\seen \\ANSWERED)")).isEmpty();
        assertThat(ok("FETCH 3 FLAGS")).containsExactly("* 3 FETCH (FLAGS (\\Answered \\Seen))");
        assertThat(ok("UID STORE 2:* FLAGS ()")).containsExactly("* 2 FETCH (UID 2 FLAGS ())", "* 3 FETCH (UID 3 FLAGS ())");
        assertThat(w.completion(w.command("STORE 1 +FLAGS (\\Recent)"))).isEqualTo("BAD \\Recent cannot be set by clients");
        assertThat(w.completion(w.command("STORE 1 +FLAGS (\\Bogus)"))).isEqualTo("BAD unknown system flag \\Bogus");
        assertThat(w.completion(w.command("STORE 1 FLAG (x)"))).startsWith("BAD expected FLAGS");
        assertThat(w.completion(w.command("STORE 4 +FLAGS (x)"))).startsWith("BAD Invalid message sequence number");
    }

    @Test
    void unchangedSinceRefusesMessagesChangedMeanwhile() throws IOException {
        List<String> first = ok("STORE 1 +FLAGS (\\Flagged)");
        assertThat(first).hasSize(1);
        assertThat(ok("FETCH 1:3 (MODSEQ)")).hasSize(3);
        String modSeq1 = ok("FETCH 1 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1");
        String modSeq2 = ok("FETCH 2 (MODSEQ)").getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1");
        long since = Math.min(Long.parseLong(modSeq1), Long.parseLong(modSeq2)) ;
        List<String> r = w.command("STORE 1:2 (UNCHANGEDSINCE " + (Long.parseLong(modSeq1) - 1) + ") +FLAGS (\\Seen)");
        assertThat(w.completion(r)).isEqualTo("OK [MODIFIED 1] STORE completed");
        assertThat(r.getFirst()).matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)");
        assertThat(since).isPositive();
    }

    @Test
    void copyAndMoveReportCopyUid() throws IOException {
        long archive = server.store().mailboxes().find(alice.id(), "Archive").orElseThrow().uidValidity();
        assertThat(w.command("COPY 2:3 Archive")).containsExactly(w.lastTag() + " OK [COPYUID " + archive + " 2:3 1:2] COPY completed");
        assertThat(w.command("UID COPY 1 Archive")).containsExactly(w.lastTag() + " OK [COPYUID " + archive + " 1 3] COPY completed");
        assertThat(w.completion(w.command("COPY 1 Nowhere"))).isEqualTo("NO [TRYCREATE] The target mailbox does not exist");
        assertThat(w.command("MOVE 2 Trash")).containsExactly(
                "* OK [COPYUID " + server.store().mailboxes().find(alice.id(), "Trash").orElseThrow().uidValidity() + " 2 1] Moved",
                "* 2 EXPUNGE", w.lastTag() + " OK MOVE completed");
        assertThat(ok("UID MOVE 3 Trash")).containsExactly(
                "* OK [COPYUID " + server.store().mailboxes().find(alice.id(), "Trash").orElseThrow().uidValidity() + " 3 2] Moved",
                "* 2 EXPUNGE");
        assertThat(ok("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 1)");
        assertThat(ok("STATUS Archive (MESSAGES)")).containsExactly("* STATUS Archive (MESSAGES 3)");
        assertThat(w.command("UID COPY 99 Archive")).containsExactly(w.lastTag() + " OK COPY completed (no messages)");
    }

    @Test
    void expungeAndUidExpungeRemoveOnlyDeletedMessages() throws IOException {
        deliver("Subject: 4\r\n\r\n4\r\n");
        ok("NOOP");
        ok("STORE 1,2,4 +FLAGS.SILENT (\\Deleted)");
        assertThat(ok("UID EXPUNGE 2:3")).containsExactly("* 2 EXPUNGE");
        assertThat(ok("EXPUNGE")).containsExactly("* 3 EXPUNGE", "* 1 EXPUNGE");
        assertThat(ok("FETCH 1:* (UID)")).containsExactly("* 1 FETCH (UID 3)");
        assertThat(ok("SEARCH ALL")).containsExactly("* SEARCH 1");
    }

    @Test
    void closeExpungesSilentlyAndUnselectDoesNot() throws IOException {
        ok("STORE 1 +FLAGS (\\Deleted)");
        assertThat(ok("UNSELECT")).isEmpty();
        assertThat(ok("STATUS INBOX (MESSAGES)")).containsExactly("* STATUS INBOX (MESSAGES 3)");
        ok("SELECT INBOX");
        assertThat(ok("CHECK")).isEmpty();
        assertThat(ok("CLOSE")).isEmpty();
        assertThat(ok("STATUS INBOX (MESSAGES)")).containsExactly("* STATUS INBOX (MESSAGES 2)");
        // EXAMINE then CLOSE expunges nothing
        ok("EXAMINE INBOX");
        ok("CLOSE");
        assertThat(w.completion(w.command("CLOSE"))).startsWith("BAD CLOSE needs a selected mailbox");
    }

    @Test
    void appendStoresWithFlagsAndDateAndReportsTheUid() throws IOException {
        w.send("P1 APPEND INBOX (\\Seen $Sent) \"14-Jul-2023 02:44:25 -0700\" {21}\r\n");
        assertThat(w.read()).isEqualTo("+ Ready for literal data");
        w.send("Subject: appended\r\n\r\n\r\n");
        List<String> r = w.readUntil("P1");
        assertThat(r).containsExactly("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Sent)", "* 4 EXISTS",
                "P1 OK [APPENDUID " + uidValidity + " 4] APPEND completed");
        assertThat(ok("FETCH 4 (FLAGS INTERNALDATE RFC822.SIZE)"))
                .containsExactly("* 4 FETCH (FLAGS (\\Seen $Sent) INTERNALDATE \"14-Jul-2023 09:44:25 +0000\" RFC822.SIZE 21)");
        // a non-synchronising literal needs no continuation
        w.send("P2 APPEND Drafts {7+}\r\ndraft\r\n\r\n");
        assertThat(w.readUntil("P2")).containsExactly("P2 OK [APPENDUID "
                + server.store().mailboxes().find(alice.id(), "Drafts").orElseThrow().uidValidity() + " 1] APPEND completed");
    }

    @Test
    void appendTakesBinaryLiteralsAndTheUtf8Form() throws IOException {
        w.send("B1 APPEND INBOX ~{20+}\r\nSubject: b\r\n\r\n\0bin\r\n\r\n");
        assertThat(w.readUntil("B1").getLast()).isEqualTo("B1 OK [APPENDUID " + uidValidity + " 4] APPEND completed");
        assertThat(ok("FETCH 4 (BINARY.PEEK[1] BINARY.SIZE[1])")).containsExactly("* 4 FETCH (BINARY[1] ~{6}\r\n\0bin\r\n BINARY.SIZE[1] 6)");
        w.send("U1 APPEND INBOX UTF8 (~{21+}\r\nSubject: café\r\n\r\nx\r\n)\r\n");
        assertThat(w.read()).isEqualTo("U1 BAD APPEND UTF8 needs ENABLE UTF8=ACCEPT");
        ok("ENABLE UTF8=ACCEPT");
        w.send("U2 APPEND INBOX UTF8 (~{21+}\r\nSubject: café\r\n\r\nx\r\n)\r\n");
        assertThat(w.readUntil("U2").getLast()).isEqualTo("U2 OK [APPENDUID " + uidValidity + " 5] APPEND completed");
        assertThat(ok("FETCH 5 (ENVELOPE)")).containsExactly("* 5 FETCH (ENVELOPE (NIL \"café\" NIL NIL NIL NIL NIL NIL NIL NIL))");
    }

    @Test
    void appendRefusalsKeepTheSessionInStep() throws IOException {
        w.send("R1 APPEND Nowhere {5}\r\n");
        assertThat(w.read()).isEqualTo("R1 NO [TRYCREATE] Mailbox does not exist");
        w.send("R2 APPEND Nowhere {5+}\r\nhello\r\n");
        assertThat(w.read()).isEqualTo("R2 NO [TRYCREATE] Mailbox does not exist");
        w.send("R3 APPEND INBOX {99999999999}\r\n");
        assertThat(w.read()).isEqualTo("R3 NO [TOOBIG] Message is larger than the APPENDLIMIT of 52428800 octets");
        w.send("R4 APPEND INBOX {0}\r\n");
        assertThat(w.read()).isEqualTo("R4 NO [CANNOT] An empty message cannot be appended");
        w.send("R5 APPEND INBOX (\\Recent) {1}\r\n");
        assertThat(w.read()).isEqualTo("R5 BAD \\Recent cannot be set by clients");
        w.send("R6 APPEND INBOX \"31-Feb-2024 00:00:00 +0000\" {1}\r\n");
        assertThat(w.read()).isEqualTo("R6 BAD invalid date '31-Feb-2024': Invalid date 'FEBRUARY 31'");
        assertThat(w.completion(w.command("NOOP"))).isEqualTo("OK NOOP completed");
    }

    @Test
    void condstoreFetchChangedSinceAndQresyncSelect() throws IOException {
        long before = server.store().mailboxes().find(alice.id(), "INBOX").orElseThrow().highestModSeq();
        ok("STORE 2 +FLAGS (\\Flagged)");
        ok("STORE 3 +FLAGS (\\Deleted)");
        ok("EXPUNGE");
        assertThat(ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + ")"))
                .singleElement().asString().matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
        ok("UNSELECT");
        ok("ENABLE QRESYNC");
        List<String> r = ok("SELECT INBOX (QRESYNC (" + uidValidity + " " + before + " 1:3))");
        assertThat(r).contains("* VANISHED (EARLIER) 3");
        assertThat(r.stream().filter(l -> l.startsWith("* 2 FETCH"))).singleElement().asString()
                .matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
        assertThat(ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + " VANISHED)")).first().isEqualTo("* VANISHED (EARLIER) 3");
        ok("STORE 1 +FLAGS (\\Deleted)");
        assertThat(ok("EXPUNGE")).containsExactly("* VANISHED 1");
        // a stale UIDVALIDITY gets no resynchronisation
        ok("UNSELECT");
        assertThat(ok("SELECT INBOX (QRESYNC (1 1))")).noneMatch(l -> l.startsWith("* VANISHED"));
    }
}
