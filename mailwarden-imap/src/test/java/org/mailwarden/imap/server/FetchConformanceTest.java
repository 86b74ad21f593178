package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FETCH with exact expected responses: ENVELOPE and BODYSTRUCTURE of a nested multipart with an
 * encapsulated message, encoded-words and a group, and of malformed MIME; every body section of it,
 * compared with the bytes of the message; partial ranges, header field selections, BINARY and the
 * RFC822 items; \Seen with and without PEEK.
 */
class FetchConformanceTest extends ImapServerTestBase {

    static final String NESTED = read("nested.eml");
    static final String MALFORMED = read("malformed.eml");

    static String read(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/messages", name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ImapWire w;

    @BeforeEach
    void messages() throws IOException {
        deliver(NESTED);
        deliver(MALFORMED);
        w = selected("INBOX");
    }

    @AfterEach
    void logout() throws IOException {
        w.close();
    }

    /** The single FETCH response of a command, without its CRLF; asserts the command succeeded. */
    private String fetch(String command) throws IOException {
        List<String> r = assertOk(w.command(command));
        assertThat(r).hasSize(2);
        return r.getFirst();
    }

    /** The text between two markers of the message, e.g. a part's body. */
    private static String between(String text, String from, String to) {
        int start = text.indexOf(from) + from.length();
        return text.substring(start, text.indexOf(to, start));
    }

    private static String literal(String content) {
        return "{" + content.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + content;
    }

    @Test
    void envelopeKeepsHeaderValuesAndSplitsAddressesAndGroups() throws IOException {
        assertThat(fetch("FETCH 1 (ENVELOPE)")).isEqualTo("* 1 FETCH (ENVELOPE (\"Mon, 6 May 2024 07:08:09 +0200\" "
                + "\"=?ISO-8859-1?Q?Caf=E9?= report\" "
                + "((\"=?UTF-8?Q?Bj=C3=B6rn?= Example\" NIL \"bjorn\" \"example.test\")) "
                + "((\"=?UTF-8?Q?Bj=C3=B6rn?= Example\" NIL \"bjorn\" \"example.test\")) "
                + "((\"=?UTF-8?Q?Bj=C3=B6rn?= Example\" NIL \"bjorn\" \"example.test\")) "
                + "((\"Alice A.\" NIL \"alice\" \"example.test\")(NIL NIL \"Team\" NIL)(NIL NIL \"carol\" \"example.test\")"
                + "(NIL NIL \"dave\" \"example.test\")(NIL NIL NIL NIL)) "
                + "((NIL NIL \"eve\" \"example.test\")) NIL \"<earlier@example.test>\" \"<nested-1@example.test>\"))");
        assertThat(fetch("FETCH 2 (ENVELOPE)")).isEqualTo("* 2 FETCH (ENVELOPE (NIL \"broken MIME\" "
                + "((NIL NIL \"broken\" \"example.test\")) ((NIL NIL \"broken\" \"example.test\")) "
                + "((NIL NIL \"broken\" \"example.test\")) NIL NIL NIL NIL NIL))");
    }

    @Test
    void bodyStructureOfNestedMultipartWithEncapsulatedMessageAndExtensionData() throws IOException {
        String inner = "(\"Sun, 5 May 2024 10:00:00 +0000\" \"inner message\" ((\"Carol\" NIL \"carol\" \"example.test\")) "
                + "((\"Carol\" NIL \"carol\" \"example.test\")) ((\"Carol\" NIL \"carol\" \"example.test\")) "
                + "((NIL NIL \"alice\" \"example.test\")) NIL NIL NIL NIL)";
        assertThat(fetch("FETCH 1 (BODYSTRUCTURE)")).isEqualTo("* 1 FETCH (BODYSTRUCTURE ("
                + "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 64 2 NIL NIL NIL NIL)"
                + "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 40 1 NIL NIL NIL NIL) \"alternative\" "
                + "(\"boundary\" \"alt\") NIL NIL NIL)"
                + "(\"message\" \"rfc822\" NIL NIL \"forwarded message\" \"7BIT\" 396 " + inner + " "
                + "((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL)"
                + "(\"image\" \"png\" (\"name\" \"dot.png\") NIL NIL \"base64\" 12 NIL (\"inline\" (\"filename\" \"dot.png\")) NIL NIL) "
                + "\"mixed\" (\"boundary\" \"inner\") NIL NIL NIL) 18 NIL NIL NIL NIL)"
                + "(\"application\" \"pdf\" (\"name\" \"report.pdf\") \"<report@example.test>\" NIL \"base64\" 28 "
                + "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"attachment\" (\"filename\" \"report.pdf\")) \"en\" NIL) "
                + "\"mixed\" (\"boundary\" \"outer-boundary\") NIL NIL NIL))");
        assertThat(fetch("FETCH 1 (BODY)")).isEqualTo("* 1 FETCH (BODY ("
                + "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 64 2)"
                + "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 40 1) \"alternative\")"
                + "(\"message\" \"rfc822\" NIL NIL \"forwarded message\" \"7BIT\" 396 " + inner + " "
                + "((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 10 1)(\"image\" \"png\" (\"name\" \"dot.png\") NIL NIL \"base64\" 12) "
                + "\"mixed\") 18)"
                + "(\"application\" \"pdf\" (\"name\" \"report.pdf\") \"<report@example.test>\" NIL \"base64\" 28) \"mixed\"))");
    }

    @Test
    void malformedMimeGivesAUsableStructure() throws IOException {
        assertThat(fetch("FETCH 2 (BODYSTRUCTURE)")).isEqualTo("* 2 FETCH (BODYSTRUCTURE ("
                + "(\"text\" \"plain\" NIL NIL NIL \"x-unknown\" 25 1 NIL NIL NIL NIL)"
                + "((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 18 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b2\") NIL NIL NIL) "
                + "\"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))");
        assertThat(fetch("FETCH 2 (BODY.PEEK[2.1])")).isEqualTo("* 2 FETCH (BODY[2.1] " + literal("never closed inner") + ")");
        assertThat(w.completion(w.command("FETCH 2 (BINARY.PEEK[1])")))
                .isEqualTo("NO [UNKNOWN-CTE] A part has a Content-Transfer-Encoding the server cannot decode");
    }

    @Test
    void everySectionIsTheExactBytesOfTheMessage() throws IOException {
        String header = NESTED.substring(0, NESTED.indexOf("\r\n\r\n") + 4);
        String text = NESTED.substring(header.length());
        assertThat(fetch("FETCH 1 (BODY.PEEK[])")).isEqualTo("* 1 FETCH (BODY[] " + literal(NESTED) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[HEADER])")).isEqualTo("* 1 FETCH (BODY[HEADER] " + literal(header) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[TEXT])")).isEqualTo("* 1 FETCH (BODY[TEXT] " + literal(text) + ")");

        String part1 = between(NESTED, "boundary=alt\r\n\r\n", "\r\n\r\n--outer-boundary\r\nContent-Type: message") + "\r\n";
        assertThat(fetch("FETCH 1 (BODY.PEEK[1])")).isEqualTo("* 1 FETCH (BODY[1] " + literal(part1) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[1.1])")).isEqualTo("* 1 FETCH (BODY[1.1] "
                + literal("Gr=C3=BC=C3=9Fe aus M=C3=BCnchen\r\nSecond line of the plain part.") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[1.1.MIME])")).isEqualTo("* 1 FETCH (BODY[1.1.MIME] "
                + literal("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[1.2])")).isEqualTo("* 1 FETCH (BODY[1.2] "
                + literal("<p>Gr&uuml;&szlig;e aus M&uuml;nchen</p>") + ")");

        String encapsulated = between(NESTED, "forwarded message\r\n\r\n", "\r\n--outer-boundary");
        String innerHeader = encapsulated.substring(0, encapsulated.indexOf("\r\n\r\n") + 4);
        assertThat(fetch("FETCH 1 (BODY.PEEK[2])")).isEqualTo("* 1 FETCH (BODY[2] " + literal(encapsulated) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.HEADER])")).isEqualTo("* 1 FETCH (BODY[2.HEADER] " + literal(innerHeader) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.TEXT])")).isEqualTo("* 1 FETCH (BODY[2.TEXT] "
                + literal(encapsulated.substring(innerHeader.length())) + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.MIME])")).isEqualTo("* 1 FETCH (BODY[2.MIME] "
                + literal("Content-Type: message/rfc822\r\nContent-Description: forwarded message\r\n\r\n") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.1])")).isEqualTo("* 1 FETCH (BODY[2.1] " + literal("inner text") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.2])")).isEqualTo("* 1 FETCH (BODY[2.2] " + literal("iVBORw0KGgo=") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.2.MIME])")).isEqualTo("* 1 FETCH (BODY[2.2.MIME] " + literal("Content-Type: image/png; name=\"dot.png\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: inline; filename=\"dot.png\"\r\n\r\n") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[3])")).isEqualTo("* 1 FETCH (BODY[3] " + literal("JVBERi0xLjQKJcOkw7zDtsOfCg==") + ")");
        // no such parts: NIL
        assertThat(fetch("FETCH 1 (BODY.PEEK[4] BODY.PEEK[1.1.1] BODY.PEEK[3.HEADER])"))
                .isEqualTo("* 1 FETCH (BODY[4] NIL BODY[1.1.1] NIL BODY[3.HEADER] NIL)");
        // a message without MIME has exactly one part
        deliver("Subject: simple\r\n\r\nonly text\r\n");
        assertThat(w.command("NOOP")).containsExactly("* 3 EXISTS", w.lastTag() + " OK NOOP completed");
        assertThat(fetch("FETCH 3 (BODY.PEEK[1] BODY.PEEK[2])")).isEqualTo("* 3 FETCH (BODY[1] " + literal("only text\r\n")
                + " BODY[2] NIL)");
    }

    @Test
    void partialRangesAndHeaderFieldSelections() throws IOException {
        assertThat(fetch("FETCH 1 (BODY.PEEK[3]<4.10> BODY.PEEK[3]<20.100> BODY.PEEK[3]<500.5>)")).isEqualTo(
                "* 1 FETCH (BODY[3]<4> " + literal("Ri0xLjQKJc") + " BODY[3]<20> " + literal("tsOfCg==")
                        + " BODY[3]<500> {0}\r\n)");
        assertThat(fetch("FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject from X-None)])")).isEqualTo(
                "* 1 FETCH (BODY[HEADER.FIELDS (Subject from X-None)] " + literal(
                        "From: =?UTF-8?Q?Bj=C3=B6rn?= Example <bjorn@example.test>\r\nSubject: =?ISO-8859-1?Q?Caf=E9?= report\r\n\r\n")
                        + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[2.HEADER.FIELDS.NOT (To From Date MIME-Version)])")).isEqualTo(
                "* 1 FETCH (BODY[2.HEADER.FIELDS.NOT (To From Date MIME-Version)] "
                        + literal("Subject: inner message\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n") + ")");
        assertThat(fetch("FETCH 1 (BODY.PEEK[HEADER.FIELDS (X-None)])"))
                .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (X-None)] {2}\r\n\r\n)");
    }

    @Test
    void binaryDecodesTransferEncodings() throws IOException {
        assertThat(fetch("FETCH 1 (BINARY.PEEK[1.1] BINARY.SIZE[3] BINARY.SIZE[1.2])")).isEqualTo(
                "* 1 FETCH (BINARY[1.1] ~{52}\r\nGrüße aus München\r\nSecond line of the plain part. BINARY.SIZE[3] 19 "
                        + "BINARY.SIZE[1.2] 40)");
        assertThat(fetch("FETCH 1 (BINARY.PEEK[3]<0.8>)")).isEqualTo("* 1 FETCH (BINARY[3]<0> ~{8}\r\n%PDF-1.4)");
    }

    @Test
    void rfc822ItemsAndSimpleItems() throws IOException {
        String header = NESTED.substring(0, NESTED.indexOf("\r\n\r\n") + 4);
        assertThat(fetch("FETCH 1 (RFC822.HEADER RFC822.SIZE UID)")).isEqualTo("* 1 FETCH (UID 1 RFC822.SIZE "
                + NESTED.length() + " RFC822.HEADER " + literal(header) + ")");
        assertThat(fetch("FETCH 2 (FLAGS)")).isEqualTo("* 2 FETCH (FLAGS ())");
        assertThat(fetch("FETCH 2 RFC822.TEXT")).isEqualTo("* 2 FETCH (FLAGS (\\Seen) RFC822.TEXT "
                + literal(MALFORMED.substring(MALFORMED.indexOf("\r\n\r\n") + 4)) + ")");
        assertThat(fetch("FETCH 2 (RFC822)")).isEqualTo("* 2 FETCH (RFC822 " + literal(MALFORMED) + ")");
        assertThat(fetch("FETCH 2 FAST")).matches("\\* 2 FETCH \\(FLAGS \\(\\\\Seen\\) INTERNALDATE \"\\d\\d-[A-Z][a-z]{2}-\\d{4} "
                + "\\d\\d:\\d\\d:\\d\\d \\+0000\" RFC822.SIZE " + MALFORMED.length() + "\\)");
        assertThat(fetch("FETCH 1 ALL")).contains("ENVELOPE (\"Mon, 6 May 2024").doesNotContain("BODY");
        assertThat(fetch("FETCH 1 FULL")).contains("ENVELOPE (").contains(" BODY ((");
        assertThat(fetch("UID FETCH 2 (MODSEQ)")).matches("\\* 2 FETCH \\(UID 2 MODSEQ \\(\\d+\\)\\)");
    }

    @Test
    void bodyWithoutPeekSetsSeenAndShowsTheNewFlags() throws IOException {
        assertThat(fetch("FETCH 1 (BODY.PEEK[1.2])")).doesNotContain("FLAGS");
        assertThat(fetch("FETCH 1 (FLAGS)")).isEqualTo("* 1 FETCH (FLAGS ())");
        assertThat(fetch("FETCH 1 (BODY[1.2])")).startsWith("* 1 FETCH (FLAGS (\\Seen) BODY[1.2] {");
        assertThat(fetch("FETCH 1 (BODY[1.2])")).startsWith("* 1 FETCH (BODY[1.2] {");
        // EXAMINE is read-only: no \Seen
        assertOk(w.command("EXAMINE INBOX"));
        assertThat(fetch("FETCH 2 (BODY[TEXT] FLAGS)")).startsWith("* 2 FETCH (FLAGS () BODY[TEXT]");
    }

    @Test
    void badFetchesAreRefusedWithReasons() throws IOException {
        assertThat(w.completion(w.command("FETCH 3 FLAGS"))).isEqualTo("BAD Invalid message sequence number (the mailbox has 2 messages)");
        assertThat(w.completion(w.command("FETCH 1 (BODY[1.0])"))).startsWith("BAD invalid part number");
        assertThat(w.completion(w.command("FETCH 1 (BODY[MIME])"))).startsWith("BAD MIME needs a part number");
        assertThat(w.completion(w.command("FETCH 1 (BODY.PEEK)"))).startsWith("BAD BODY.PEEK needs a section");
        assertThat(w.completion(w.command("FETCH 1 (NOSUCH)"))).isEqualTo("BAD unknown FETCH item NOSUCH");
        assertThat(w.completion(w.command("FETCH 1 (BODY[]<5>)"))).startsWith("BAD expected '.' in the partial range");
        assertThat(w.completion(w.command("UID FETCH 99 FLAGS"))).isEqualTo("OK UID FETCH completed");
        assertThat(w.completion(w.command("FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)"))).startsWith("BAD VANISHED needs");
    }
}
