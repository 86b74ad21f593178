package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticated state with exact responses: SELECT/EXAMINE, LIST (patterns, LIST-EXTENDED
 * selection and return options, SPECIAL-USE, CHILDREN, LIST-STATUS), LSUB, CREATE (with superiors and
 * CREATE-SPECIAL-USE), DELETE, RENAME (children, INBOX), SUBSCRIBE, STATUS (with SIZE), NAMESPACE, ENABLE,
 * and mailbox names in modified UTF-7 and UTF-8.
 */
class MailboxCommandsTest extends ImapServerTestBase {

    private ImapWire w;

    @BeforeEach
    void login() throws IOException {
        w = session();
    }

    @AfterEach
    void logout() throws IOException {
        w.close();
    }

    private List<String> ok(String command) throws IOException {
        return untagged(assertOk(w.command(command)));
    }

    @Test
    void selectAndExamineAnswerEverythingARev1ClientNeeds() throws IOException {
        deliver("Subject: a\r\n\r\na\r\n");
        deliver("Subject: b\r\n\r\nb\r\n");
        var inbox = server.store().mailboxes().find(alice.id(), "INBOX").orElseThrow();
        server.store().mailboxes().updateFlags(inbox.id(), List.of(1L), org.mailwarden.store.Mailboxes.FlagOperation.ADD,
                java.util.Set.of("\\Seen", "$Work"), -1);
        long modSeq = server.store().mailboxes().get(inbox.id()).orElseThrow().highestModSeq();
        List<String> r = w.command("SELECT inbox");
        assertThat(r).containsExactly(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* 2 EXISTS",
                "* 0 RECENT",
                "* OK [UNSEEN 2] First unseen message",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted",
                "* OK [UIDVALIDITY " + inbox.uidValidity() + "] UIDs valid",
                "* OK [UIDNEXT 3] Predicted next UID",
                "* OK [HIGHESTMODSEQ " + modSeq + "] Highest",
                w.lastTag() + " OK [READ-WRITE] SELECT completed");
        r = w.command("EXAMINE INBOX");
        assertThat(r.getFirst()).isEqualTo("* OK [CLOSED] Previous mailbox closed");
        assertThat(r).contains("* OK [PERMANENTFLAGS ()] Flags permitted");
        assertThat(w.completion(r)).isEqualTo("OK [READ-ONLY] EXAMINE completed");
        assertThat(w.completion(w.command("STORE 1 +FLAGS (\\Deleted)"))).isEqualTo("NO [READ-ONLY] The mailbox is read-only (EXAMINE)");
        assertThat(w.completion(w.command("SELECT Nowhere"))).isEqualTo("NO [NONEXISTENT] Mailbox does not exist");
        assertThat(w.completion(w.command("FETCH 1 FLAGS"))).isEqualTo("BAD FETCH needs a selected mailbox (SELECT or EXAMINE)");
    }

    @Test
    void imap4rev2SelectSendsNoRecentButAList() throws IOException {
        assertThat(ok("ENABLE IMAP4rev2 CONDSTORE X-UNKNOWN")).containsExactly("* ENABLED IMAP4rev2 CONDSTORE");
        List<String> r = ok("SELECT INBOX");
        assertThat(r).doesNotContain("* 0 RECENT").contains("* LIST () \"/\" INBOX", "* 0 EXISTS");
    }

    @Test
    void listShowsDefaultsWithSpecialUseAndChildren() throws IOException {
        ok("CREATE Work/2024/Q1");
        assertThat(ok("LIST \"\" \"*\"")).containsExactly(
                "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\HasChildren) \"/\" Work",
                "* LIST (\\HasChildren) \"/\" Work/2024",
                "* LIST (\\HasNoChildren) \"/\" Work/2024/Q1");
        assertThat(ok("LIST \"\" %")).hasSize(7).contains("* LIST (\\HasChildren) \"/\" Work");
        assertThat(ok("LIST Work/ %")).containsExactly("* LIST (\\HasChildren) \"/\" Work/2024");
        assertThat(ok("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"");
        assertThat(ok("LIST \"\" inbox")).containsExactly("* LIST (\\HasNoChildren) \"/\" INBOX");
        assertThat(ok("LIST \"\" w*/q1")).isEmpty();
        assertThat(ok("LIST \"\" W*/Q1")).containsExactly("* LIST (\\HasNoChildren) \"/\" Work/2024/Q1");
    }

    @Test
    void listExtendedSelectionAndReturnOptions() throws IOException {
        ok("CREATE Projects/Alpha");
        ok("SUBSCRIBE Projects/Alpha");
        ok("DELETE Projects");
        assertThat(ok("LIST (SPECIAL-USE) \"\" *")).containsExactly(
                "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash");
        assertThat(ok("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %")).contains(
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                "* LIST (\\NonExistent \\HasChildren) \"/\" Projects (\"CHILDINFO\" (\"SUBSCRIBED\"))");
        assertThat(ok("LIST \"\" (Proj* Sent) RETURN (SUBSCRIBED CHILDREN)")).containsExactly(
                "* LIST (\\NonExistent \\HasChildren) \"/\" Projects",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" Projects/Alpha",
                "* LIST (\\HasNoChildren \\Subscribed \\Sent) \"/\" Sent");
        assertThat(ok("LIST \"\" Projects")).containsExactly("* LIST (\\Noselect \\HasChildren) \"/\" Projects");
        deliver("Subject: x\r\n\r\n12345\r\n");
        assertThat(ok("LIST \"\" INBOX RETURN (STATUS (MESSAGES UNSEEN SIZE UIDNEXT))")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* STATUS INBOX (MESSAGES 1 UNSEEN 1 SIZE 21 UIDNEXT 2)");
        assertThat(w.completion(w.command("LIST (RECURSIVEMATCH) \"\" *"))).startsWith("BAD RECURSIVEMATCH needs");
        assertThat(w.completion(w.command("LIST (BOGUS) \"\" *"))).isEqualTo("BAD unknown LIST selection option");
    }

    @Test
    void lsubListsSubscriptions() throws IOException {
        ok("CREATE Lists/Java");
        ok("SUBSCRIBE Lists/Java");
        ok("UNSUBSCRIBE Drafts");
        assertThat(ok("LSUB \"\" *")).containsExactly(
                "* LSUB () \"/\" Archive", "* LSUB () \"/\" INBOX", "* LSUB () \"/\" Junk",
                "* LSUB (\\Noselect) \"/\" Lists", "* LSUB () \"/\" Lists/Java", "* LSUB () \"/\" Sent", "* LSUB () \"/\" Trash");
        assertThat(ok("LSUB \"\" L%")).containsExactly("* LSUB (\\Noselect) \"/\" Lists");
        assertThat(w.completion(w.command("SUBSCRIBE Nope"))).isEqualTo("NO [NONEXISTENT] Mailbox does not exist");
    }

    @Test
    void createDeleteRenameWithChildrenAndInbox() throws IOException {
        assertThat(w.completion(w.command("CREATE INBOX"))).isEqualTo("NO [ALREADYEXISTS] INBOX always exists");
        assertThat(w.completion(w.command("CREATE Sent"))).isEqualTo("NO [ALREADYEXISTS] Mailbox already exists");
        assertThat(w.completion(w.command("CREATE \"Bad*Name\""))).startsWith("NO [CANNOT] ");
        ok("CREATE Folder/");
        ok("CREATE Folder/Sub");
        ok("CREATE \"Backup\" (USE (\\Archive))");
        assertThat(w.completion(w.command("CREATE Other (USE (\\Important))"))).isEqualTo("NO [USEATTR] Unsupported special-use attribute \\Important");
        ok("RENAME Folder Renamed");
        assertThat(ok("LIST \"\" Renamed*")).containsExactly("* LIST (\\HasChildren) \"/\" Renamed",
                "* LIST (\\HasNoChildren) \"/\" Renamed/Sub");
        assertThat(ok("LIST \"\" Backup")).containsExactly("* LIST (\\HasNoChildren \\Archive) \"/\" Backup");
        assertThat(w.completion(w.command("RENAME Renamed Sent"))).isEqualTo("NO [ALREADYEXISTS] The new name already exists");
        assertThat(w.completion(w.command("RENAME Renamed Renamed/Sub/Deeper"))).isEqualTo("NO [CANNOT] A mailbox cannot be moved below itself");
        assertThat(w.completion(w.command("RENAME Missing Else"))).isEqualTo("NO [NONEXISTENT] Mailbox does not exist");

        deliver("Subject: old inbox\r\n\r\nx\r\n");
        ok("RENAME INBOX \"Old Inbox\"");
        assertThat(ok("STATUS INBOX (MESSAGES)")).containsExactly("* STATUS INBOX (MESSAGES 0)");
        assertThat(ok("STATUS \"Old Inbox\" (MESSAGES)")).containsExactly("* STATUS \"Old Inbox\" (MESSAGES 1)");

        assertThat(w.completion(w.command("DELETE INBOX"))).isEqualTo("NO [CANNOT] INBOX cannot be deleted");
        ok("DELETE Renamed");
        assertThat(ok("LIST \"\" Renamed*")).containsExactly("* LIST (\\Noselect \\HasChildren) \"/\" Renamed",
                "* LIST (\\HasNoChildren) \"/\" Renamed/Sub");
        assertThat(w.completion(w.command("DELETE Renamed"))).isEqualTo("NO [NONEXISTENT] Mailbox does not exist");
    }

    @Test
    void deletingTheSelectedMailboxClosesIt() throws IOException {
        ok("CREATE Temp");
        ok("SELECT Temp");
        assertThat(ok("DELETE Temp")).containsExactly("* OK [CLOSED] The selected mailbox was deleted");
        assertThat(w.completion(w.command("FETCH 1 FLAGS"))).startsWith("BAD FETCH needs a selected mailbox");
    }

    @Test
    void statusItems() throws IOException {
        deliver("Subject: one\r\n\r\n1\r\n");
        deliver("Subject: two\r\n\r\n22\r\n");
        var inbox = server.store().mailboxes().find(alice.id(), "INBOX").orElseThrow();
        server.store().mailboxes().updateFlags(inbox.id(), List.of(2L), org.mailwarden.store.Mailboxes.FlagOperation.ADD,
                java.util.Set.of("\\Seen", "\\Deleted"), -1);
        var now = server.store().mailboxes().get(inbox.id()).orElseThrow();
        assertThat(ok("STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ APPENDLIMIT)"))
                .containsExactly("* STATUS INBOX (MESSAGES 2 RECENT 0 UIDNEXT 3 UIDVALIDITY " + now.uidValidity()
                        + " UNSEEN 1 DELETED 1 SIZE 39 HIGHESTMODSEQ " + now.highestModSeq() + " APPENDLIMIT 52428800)");
        assertThat(w.completion(w.command("STATUS INBOX (BOGUS)"))).isEqualTo("BAD unknown STATUS item BOGUS");
        assertThat(w.completion(w.command("STATUS Nope (MESSAGES)"))).isEqualTo("NO [NONEXISTENT] Mailbox does not exist");
    }

    @Test
    void namespaceAndInternationalNames() throws IOException {
        assertThat(ok("NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \"/\")) NIL NIL");
        ok("CREATE R&AOk-sum&AOk-");
        assertThat(ok("LIST \"\" R*")).containsExactly("* LIST (\\HasNoChildren) \"/\" R&AOk-sum&AOk-");
        assertThat(server.store().mailboxes().find(alice.id(), "Résumé")).isPresent();
        assertThat(w.completion(w.command("CREATE A&B"))).startsWith("BAD mailbox name is not valid modified UTF-7");
        ok("ENABLE UTF8=ACCEPT");
        assertThat(ok("LIST \"\" R*")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"Résumé\"");
        ok("CREATE \"Größe\"");
        assertThat(server.store().mailboxes().find(alice.id(), "Größe")).isPresent();
    }
}
