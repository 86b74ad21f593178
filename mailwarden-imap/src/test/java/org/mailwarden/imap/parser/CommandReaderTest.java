package org.mailwarden.imap.parser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.net.LineReader;

class CommandReaderTest {

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private CommandReader reader(String input) {
        return reader(input, ImapLimits.defaults(1 << 20));
    }

    private CommandReader reader(String input, ImapLimits limits) {
        LineReader lines = new LineReader(new ByteArrayInputStream(input.getBytes(UTF_8)), limits.maxLineLength());
        return new CommandReader(lines, limits, () -> sent.writeBytes("+ Ready\r\n".getBytes(UTF_8)));
    }

    @Test
    void readsTagCommandAndAstrings() throws IOException {
        CommandReader r = reader("a1 LOGIN alice@example.test \"pa ss\\\"w\\\\ord\"\r\n");
        assertThat(r.next()).isEqualTo(CommandReader.Start.COMMAND);
        assertThat(r.tag()).isEqualTo("a1");
        r.sp();
        assertThat(r.keyword()).isEqualTo("LOGIN");
        r.sp();
        assertThat(r.astring()).isEqualTo("alice@example.test");
        r.sp();
        assertThat(r.astring()).isEqualTo("pa ss\"w\\ord");
        r.end();
        assertThat(r.next()).isEqualTo(CommandReader.Start.EOF);
    }

    @Test
    void synchronisingLiteralIsAskedForOnlyWhenReached() throws IOException {
        CommandReader r = reader("a LOGIN {5}\r\nalice {3}\r\nabc\r\n");
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThat(sent.toString(UTF_8)).isEmpty();
        assertThat(r.astring()).isEqualTo("alice");
        assertThat(sent.toString(UTF_8)).isEqualTo("+ Ready\r\n");
        r.sp();
        assertThat(r.astring()).isEqualTo("abc");
        r.end();
        assertThat(sent.toString(UTF_8)).isEqualTo("+ Ready\r\n+ Ready\r\n");
    }

    @Test
    void nonSynchronisingLiteralIsReadWithoutContinuation() throws IOException {
        CommandReader r = reader("a LOGIN {5+}\r\nal\r\nx {0+}\r\n\r\n");
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThat(r.astring()).isEqualTo("al\r\nx");
        r.sp();
        assertThat(r.astring()).isEmpty();
        r.end();
        assertThat(sent.size()).isZero();
    }

    @Test
    void sequenceSetsAndNumbers() throws IOException {
        CommandReader r = reader("t FETCH 1:3,7,9:*,$ 4294967295\r\n");
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThatThrownBy(r::sequenceSet).isInstanceOf(ImapParseException.class);
        r = reader("t 9:2,*,5 4294967296\r\n");
        r.next();
        r.tag();
        r.sp();
        SequenceSet set = r.sequenceSet();
        assertThat(set.resolve(10)).hasToString("2:10");
        assertThat(set.resolve(3)).hasToString("2:9");
        assertThat(SequenceSet.parse("5,*").resolve(3)).hasToString("3,5");
        r.sp();
        assertThatThrownBy(r::number).hasMessageContaining("out of range");
        assertThat(SequenceSet.parse("$").isSavedResult()).isTrue();
        assertThatThrownBy(() -> SequenceSet.parse("0:4")).hasMessageContaining("invalid sequence set");
        assertThatThrownBy(() -> SequenceSet.parse("1,,2")).hasMessageContaining("invalid sequence set");
        // On an empty mailbox * is 0, and 1:* still names 1, which then matches nothing.
        assertThat(SequenceSet.parse("1:*").resolve(0)).hasToString("1");
    }

    @Test
    void flagListsAndDates() throws IOException {
        CommandReader r = reader("t (\\Seen $Work \\Flagged) () 7-Feb-2024 \"17-Mar-2023\" \" 7-Feb-2024 09:10:11 +0130\"\r\n");
        r.next();
        r.tag();
        r.sp();
        assertThat(r.flagList()).containsExactly("\\Seen", "$Work", "\\Flagged");
        r.sp();
        assertThat(r.flagList()).isEmpty();
        r.sp();
        assertThat(r.date()).isEqualTo(LocalDate.of(2024, 2, 7));
        r.sp();
        assertThat(r.date()).isEqualTo(LocalDate.of(2023, 3, 17));
        r.sp();
        assertThat(r.dateTime()).isEqualTo(OffsetDateTime.of(2024, 2, 7, 9, 10, 11, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        r.end();
    }

    @Test
    void malformedInputGivesReasons() throws IOException {
        assertBad("a LOGIN \"unterminated\r\n", "unterminated quoted string");
        assertBad("a LOGIN \"bad\\escape\"\r\n", "invalid escape");
        assertBad("a LOGIN {5} x\r\n", "a literal must end its line");
        assertBad("a LOGIN (x\r\n", "expected a string at '(x'");
        assertBad("a LOGIN\r\n", "expected a space but the command ended");
    }

    private void assertBad(String input, String message) throws IOException {
        CommandReader r = reader(input);
        r.next();
        r.tag();
        r.sp();
        r.atom();
        assertThatThrownBy(() -> {
            r.sp();
            r.astring();
            r.sp();
            r.astring();
        }).isInstanceOf(ImapParseException.class).hasMessageContaining(message);
    }

    @Test
    void listsNestOnlySoDeep() throws IOException {
        ImapLimits limits = new ImapLimits(1024, 4096, 100, 1000, 3, 100, 1000);
        CommandReader r = reader("t ((((x))))\r\n", limits);
        r.next();
        r.tag();
        r.sp();
        r.openList();
        r.openList();
        r.openList();
        assertThatThrownBy(r::openList).hasMessageContaining("nested too deeply");
    }

    @Test
    void tooManyTokensIsRefused() throws IOException {
        ImapLimits limits = new ImapLimits(1024, 4096, 100, 1000, 3, 16, 1000);
        CommandReader r = reader("t" + " a".repeat(20) + "\r\n", limits);
        r.next();
        r.tag();
        assertThatThrownBy(() -> {
            while (!r.atEnd()) {
                r.sp();
                r.atom();
            }
        }).isInstanceOf(ImapParseException.class).hasMessageContaining("too many arguments");
    }

    @Test
    void anOverlongLineIsReportedAndSkipped() throws IOException {
        ImapLimits limits = new ImapLimits(1024, 4096, 100, 1000, 3, 100, 1000);
        CommandReader r = reader("x1 NOOP " + "a".repeat(3000) + "\r\nx2 NOOP\r\n", limits);
        assertThat(r.next()).isEqualTo(CommandReader.Start.TOO_LONG);
        assertThat(r.tagOrNull()).isEqualTo("x1");
        r.skipCommand();
        assertThat(r.next()).isEqualTo(CommandReader.Start.COMMAND);
        assertThat(r.tag()).isEqualTo("x2");
    }

    @Test
    void afterAnErrorNonSynchronisingLiteralsAreSkippedAndTheNextCommandIsIntact() throws IOException {
        CommandReader r = reader("a BOGUS ( {8+}\r\nb NOOP\r\n {3+}\r\nxyz\r\nc NOOP\r\n");
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThatThrownBy(r::astring).isInstanceOf(ImapParseException.class);
        r.skipCommand();
        assertThat(r.next()).isEqualTo(CommandReader.Start.COMMAND);
        assertThat(r.tag()).isEqualTo("c");
    }

    @Test
    void aRefusedSynchronisingLiteralIsNeverAskedFor() throws IOException {
        ImapLimits limits = new ImapLimits(1024, 4096, 10, 1000, 3, 100, 1000);
        CommandReader r = reader("a LOGIN {5000}\r\nb NOOP\r\n", limits);
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThatThrownBy(r::astring).isInstanceOfSatisfying(ImapParseException.class, e -> {
            assertThat(e.isNo()).isTrue();
            assertThat(e.code()).isEqualTo("TOOBIG");
        });
        r.skipCommand();
        assertThat(sent.size()).isZero();
        r.next();
        assertThat(r.tag()).isEqualTo("b");
    }

    @Test
    void aHugeNonSynchronisingLiteralEndsTheSession() throws IOException {
        ImapLimits limits = new ImapLimits(1024, 4096, 10, 1000, 3, 100, 1000);
        CommandReader r = reader("a LOGIN {999999999+}\r\n", limits);
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        assertThatThrownBy(r::astring).isInstanceOf(ImapParseException.class);
        assertThatThrownBy(r::skipCommand).isInstanceOfSatisfying(ImapParseException.class,
                e -> assertThat(e.fatal()).isTrue());
    }

    @Test
    void messageLiteralsStreamToTheCaller() throws IOException {
        CommandReader r = reader("a APPEND INBOX {12}\r\nHello\r\nWorld\r\n");
        r.next();
        r.tag();
        r.sp();
        r.atom();
        r.sp();
        r.astring();
        r.sp();
        CommandReader.Literal literal = r.literal();
        assertThat(literal).isEqualTo(new CommandReader.Literal(12, true, false));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        r.readLiteral(literal, body);
        assertThat(body.toString(UTF_8)).isEqualTo("Hello\r\nWorld");
        r.end();
        assertThat(sent.toString(UTF_8)).isEqualTo("+ Ready\r\n");
    }

    @Test
    void tailLiteralRecognisesEveryForm() {
        assertThat(CommandReader.tailLiteral("x {12}".getBytes(UTF_8))).isEqualTo(new CommandReader.Literal(12, true, false));
        assertThat(CommandReader.tailLiteral("x {12+}".getBytes(UTF_8))).isEqualTo(new CommandReader.Literal(12, false, false));
        assertThat(CommandReader.tailLiteral("x ~{3}".getBytes(UTF_8))).isEqualTo(new CommandReader.Literal(3, true, true));
        assertThat(CommandReader.tailLiteral("x {}".getBytes(UTF_8))).isNull();
        assertThat(CommandReader.tailLiteral("x 12}".getBytes(UTF_8))).isNull();
        assertThat(CommandReader.tailLiteral("}".getBytes(UTF_8))).isNull();
    }

    @Test
    void numberSetsPrintCompactly() {
        NumberSet set = new NumberSet.Builder().add(7).addRange(1, 3).add(4).add(9).addRange(10, 12).build();
        assertThat(set).hasToString("1:4,7,9:12");
        assertThat(set.size()).isEqualTo(9);
        assertThat(set.contains(10)).isTrue();
        assertThat(set.contains(8)).isFalse();
        assertThat(set.intersect(NumberSet.range(3, 9))).hasToString("3:4,7,9");
        assertThat(NumberSet.of(5, 3, 4, 1)).hasToString("1,3:5");
    }
}
