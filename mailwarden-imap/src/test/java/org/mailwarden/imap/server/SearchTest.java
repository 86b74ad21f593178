package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SEARCH keys against a small mailbox with known answers: flags, keywords, dates (internal and sent),
 * sizes, headers with encoded-words, BODY and TEXT through quoted-printable, base64 and charsets, UID and
 * sequence sets, OR/NOT/parentheses, MODSEQ, CHARSET, ESEARCH RETURN options and SEARCHRES.
 */
class SearchTest extends ImapServerTestBase {

    private ImapWire w;

    @BeforeEach
    void mailbox() throws IOException {
        deliver("From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Lunch plans\r\n"
                + "Date: Mon, 6 May 2024 07:08:09 +0200\r\n\r\nShall we meet at noon?\r\n");
        deliver("From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.test>\r\nTo: alice@example.test\r\nCc: carol@example.test\r\n"
                + "Subject: =?UTF-8?B?Q2Fmw6kgb3BlbmluZw==?=\r\nDate: 1 Jan 2023 10:00:00 +0000\r\nX-Priority: 1\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Le caf=E9 ouvre =E0 MIDI.\r\n");
        deliver("From: bob@example.test\r\nSubject: report\r\nDate: Tue, 7 May 2024 00:00:00 -0500\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nR3LDvMOfZSBhdXMgTcO8bmNoZW4=\r\n--b\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nsecret attachment words\r\n--b--\r\n");
        w = selected("INBOX");
        assertOk(w.command("STORE 1 +FLAGS (\\Seen \\Flagged)"));
        assertOk(w.command("STORE 2 +FLAGS ($Important \\Answered)"));
    }

    @org.junit.jupiter.api.AfterEach
    void logout() throws IOException {
        w.close();
    }

    private String search(String criteria) throws IOException {
        List<String> r = assertOk(w.command("SEARCH " + criteria));
        return r.getFirst();
    }

    @Test
    void aHeaderTooLargeToBeReadWithItsBatchIsStillSearched() throws IOException {
        // header blocks up to 16 KiB come with their batch of 500; a larger one is read on its own
        deliver("Received: from relay (" + "x".repeat(20_000) + ")\r\nFrom: Dave <dave@big.example>\r\n"
                + "Subject: long trail\r\n\r\nbody\r\n");
        w.close();
        w = selected("INBOX");

        assertThat(search("FROM dave@big")).isEqualTo("* SEARCH 4");
        assertThat(search("OR FROM alice FROM dave")).isEqualTo("* SEARCH 1 4");
        assertThat(search("TEXT \"long trail\"")).isEqualTo("* SEARCH 4");
        assertThat(search("HEADER Received xxxx")).isEqualTo("* SEARCH 4");
    }

    @Test
    void flagsAndKeywords() throws IOException {
        assertThat(search("ALL")).isEqualTo("* SEARCH 1 2 3");
        assertThat(search("SEEN")).isEqualTo("* SEARCH 1");
        assertThat(search("UNSEEN")).isEqualTo("* SEARCH 2 3");
        assertThat(search("FLAGGED UNANSWERED")).isEqualTo("* SEARCH 1");
        assertThat(search("ANSWERED")).isEqualTo("* SEARCH 2");
        assertThat(search("KEYWORD $important")).isEqualTo("* SEARCH 2");
        assertThat(search("UNKEYWORD $Important")).isEqualTo("* SEARCH 1 3");
        assertThat(search("DELETED")).isEqualTo("* SEARCH");
        assertThat(search("UNDELETED UNDRAFT")).isEqualTo("* SEARCH 1 2 3");
        assertThat(search("DRAFT")).isEqualTo("* SEARCH");
        assertThat(search("NEW")).isEqualTo("* SEARCH");
        assertThat(search("OLD")).isEqualTo("* SEARCH 1 2 3");
        assertThat(search("RECENT")).isEqualTo("* SEARCH");
    }

    @Test
    void headersWithEncodedWordsAndAddresses() throws IOException {
        assertThat(search("FROM alice")).isEqualTo("* SEARCH 1");
        assertThat(search("FROM \"André\"")).isEqualTo("* SEARCH 2");
        assertThat(search("CHARSET UTF-8 SUBJECT {5+}\r\ncafé")).isEqualTo("* SEARCH 2");
        assertThat(search("SUBJECT LUNCH")).isEqualTo("* SEARCH 1");
        assertThat(search("TO alice@example.test")).isEqualTo("* SEARCH 2");
        assertThat(search("CC carol")).isEqualTo("* SEARCH 2");
        assertThat(search("BCC anyone")).isEqualTo("* SEARCH");
        assertThat(search("HEADER X-Priority 1")).isEqualTo("* SEARCH 2");
        assertThat(search("HEADER X-Priority \"\"")).isEqualTo("* SEARCH 2");
        assertThat(search("HEADER Content-Type multipart")).isEqualTo("* SEARCH 3");
    }

    @Test
    void bodyAndTextAreDecoded() throws IOException {
        assertThat(search("BODY noon")).isEqualTo("* SEARCH 1");
        assertThat(search("BODY \"café ouvre à midi\"")).isEqualTo("* SEARCH 2");
        assertThat(search("BODY \"GRÜSSE\"")).isEqualTo("* SEARCH");
        assertThat(search("BODY \"grüße aus münchen\"")).isEqualTo("* SEARCH 3");
        assertThat(search("BODY attachment")).as("non-text parts are not searched").isEqualTo("* SEARCH");
        assertThat(search("BODY Lunch")).as("BODY excludes the header").isEqualTo("* SEARCH");
        assertThat(search("TEXT Lunch")).isEqualTo("* SEARCH 1");
        assertThat(search("TEXT \"subject: LUNCH plans\"")).as("a header field is searched as name: value").isEqualTo("* SEARCH 1");
        assertThat(search("TEXT \"plans date\"")).as("but not across fields").isEqualTo("* SEARCH");
        assertThat(search("TEXT {8+}\r\nplans\r\nD")).as("nor with a line break").isEqualTo("* SEARCH");
        assertThat(search("TEXT noon")).isEqualTo("* SEARCH 1");
        assertThat(search("CHARSET US-ASCII TEXT report")).isEqualTo("* SEARCH 3");
        assertThat(w.completion(w.command("SEARCH CHARSET KOI8-R TEXT x")))
                .isEqualTo("NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R");
    }

    @Test
    void datesSizesAndSets() throws IOException {
        assertThat(search("SENTON 6-May-2024")).isEqualTo("* SEARCH 1");
        assertThat(search("SENTBEFORE 6-May-2024")).isEqualTo("* SEARCH 2");
        assertThat(search("SENTSINCE \"6-May-2024\"")).isEqualTo("* SEARCH 1 3");
        String today = org.mailwarden.imap.parser.ImapDates.format(java.time.Instant.now()).substring(0, 11);
        assertThat(search("ON " + today.strip())).isEqualTo("* SEARCH 1 2 3");
        assertThat(search("BEFORE 1-Jan-2000")).isEqualTo("* SEARCH");
        assertThat(search("SINCE 1-Jan-2000")).isEqualTo("* SEARCH 1 2 3");
        assertThat(search("LARGER 200")).isEqualTo("* SEARCH 2 3");
        assertThat(search("SMALLER 200")).isEqualTo("* SEARCH 1");
        assertThat(search("2:3")).isEqualTo("* SEARCH 2 3");
        assertThat(search("UID 3:*")).isEqualTo("* SEARCH 3");
        assertThat(search("*")).isEqualTo("* SEARCH 3");
        assertThat(search("OR SEEN ANSWERED")).isEqualTo("* SEARCH 1 2");
        assertThat(search("NOT (SEEN OR ANSWERED FLAGGED)")).isEqualTo("* SEARCH 2 3");
        assertThat(search("NOT (OR SEEN ANSWERED)")).isEqualTo("* SEARCH 3");
        assertThat(assertOk(w.command("UID SEARCH NOT 1")).getFirst()).isEqualTo("* SEARCH 2 3");
    }

    @Test
    void modseqEsearchAndSavedResults() throws IOException {
        List<String> r = assertOk(w.command("SEARCH MODSEQ 1"));
        assertThat(r.getFirst()).matches("\\* SEARCH 1 2 3 \\(MODSEQ \\d+\\)");
        assertThat(assertOk(w.command("SEARCH RETURN (MIN MAX COUNT) UNSEEN")).getFirst())
                .isEqualTo("* ESEARCH (TAG \"" + w.lastTag() + "\") MIN 2 MAX 3 COUNT 2");
        assertThat(assertOk(w.command("UID SEARCH RETURN () ALL")).getFirst())
                .isEqualTo("* ESEARCH (TAG \"" + w.lastTag() + "\") UID ALL 1:3");
        assertThat(assertOk(w.command("SEARCH RETURN (COUNT) DELETED")).getFirst())
                .isEqualTo("* ESEARCH (TAG \"" + w.lastTag() + "\") COUNT 0");
        assertThat(w.command("SEARCH RETURN (SAVE) UNSEEN")).containsExactly(w.lastTag() + " OK SEARCH completed");
        assertThat(search("$")).isEqualTo("* SEARCH 2 3");
        assertThat(assertOk(w.command("FETCH $ (UID)"))).containsExactly("* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)",
                w.lastTag() + " OK FETCH completed");
        assertThat(assertOk(w.command("UID STORE $ +FLAGS (\\Seen)"))).hasSize(3);
        assertOk(w.command("SEARCH RETURN (SAVE MIN) ALL"));
        assertThat(search("$")).isEqualTo("* SEARCH 1");
        assertOk(w.command("ENABLE IMAP4rev2"));
        assertThat(assertOk(w.command("SEARCH SEEN")).getFirst()).isEqualTo("* ESEARCH (TAG \"" + w.lastTag() + "\") ALL 1:3");
    }

    @Test
    void malformedSearchesAreBad() throws IOException {
        assertThat(w.completion(w.command("SEARCH"))).isEqualTo("BAD expected a space but the command ended");
        assertThat(w.completion(w.command("SEARCH BOGUS"))).isEqualTo("BAD unknown SEARCH key BOGUS");
        assertThat(w.completion(w.command("SEARCH SINCE yesterday"))).startsWith("BAD invalid date");
        assertThat(w.completion(w.command("SEARCH OR SEEN"))).startsWith("BAD expected a space");
        assertThat(w.completion(w.command("SEARCH " + "NOT ".repeat(40) + "ALL"))).startsWith("BAD search keys nested too deeply");
        assertThat(w.completion(w.command("SEARCH RETURN (SAVE) BOGUS"))).isEqualTo("BAD unknown SEARCH key BOGUS");
        assertThat(search("$")).as("a failed SAVE empties the saved result").isEqualTo("* SEARCH");
    }
}
