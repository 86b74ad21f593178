package org.mailwarden.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A header block as SEARCH reads it: from a slice of a larger prefix, fields unfolded and decoded on demand. */
class HeaderTextTest {

    private static final byte[] MESSAGE = ("Received: from a\r\n\tby b\r\n"
            + "From : =?iso-8859-1?q?Andr=E9?= <andre@example.test>\r\n"
            + "Subject: caf\u00e9\r\n"
            + "broken line without a colon\r\n"
            + "To: bob@example.test,\r\n carol@example.test\r\n"
            + "\r\n"
            + "From: not a header, the body\r\n").getBytes(StandardCharsets.UTF_8);

    private static int headerEnd() {
        String text = new String(MESSAGE, StandardCharsets.ISO_8859_1);
        return text.indexOf("\r\n\r\n") + 4;
    }

    @Test
    void fieldsAreMatchedByNameIgnoringCaseAndBlanksBeforeTheColonWithEncodedWordsDecoded() {
        HeaderText h = HeaderText.parse(MESSAGE, 0, headerEnd());

        assertThat(h.contains("from", FoldedNeedle.of("andré"))).isTrue();
        assertThat(h.contains("FROM", FoldedNeedle.of("andre@example"))).isTrue();
        assertThat(h.contains("subject", FoldedNeedle.of("CAFÉ"))).isTrue();
        assertThat(h.contains("to", FoldedNeedle.of("bob@example.test, carol"))).isTrue();
        assertThat(h.contains("Received", FoldedNeedle.of("from a\tby b"))).isTrue();
        assertThat(h.contains("From", FoldedNeedle.of("the body"))).isFalse();
        assertThat(h.contains("broken line without a colon", FoldedNeedle.of(""))).isFalse();
    }

    @Test
    void aSliceEndsTheBlockAndTheWholeTextHasEveryFieldOnItsOwnLine() {
        int subjectEnd = new String(MESSAGE, StandardCharsets.ISO_8859_1).indexOf("broken");
        HeaderText h = HeaderText.parse(MESSAGE, 0, subjectEnd);

        assertThat(h.contains("To", FoldedNeedle.of("bob"))).isFalse();
        assertThat(h.anyContains(FoldedNeedle.of("subject: café"))).isTrue();
        assertThat(h.anyContains(FoldedNeedle.of("From: André <andre"))).isTrue();
        assertThat(h.anyContains(FoldedNeedle.of("bob"))).isFalse();
    }
}
