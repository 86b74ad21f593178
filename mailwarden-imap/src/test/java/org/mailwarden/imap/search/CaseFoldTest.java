package org.mailwarden.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The documented edges of SEARCH's case folding and of matching without decoding. */
class CaseFoldTest {

    private static boolean found(String needle, byte[] text, Charset charset) throws IOException {
        return new TextScanner(FoldedNeedle.of(needle)).contains(new ByteArrayInputStream(text), charset);
    }

    private static boolean found(String needle, String text) throws IOException {
        return found(needle, text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Test
    void asciiIsClosedUnderFolding() throws IOException {
        assertThat(found("k", "20 \u212a")).as("Kelvin sign is not k").isFalse();
        assertThat(found("s", "\u017f")).as("long s is not s").isFalse();
        assertThat(found("i", "\u0131\u0130")).as("dotless and dotted I are not i").isFalse();
        assertThat(found("\u212a", "20 \u212A")).isTrue();
    }

    @Test
    void otherScriptsFoldOneToOne() throws IOException {
        assertThat(found("ΟΔΟΣ", "οδος")).isTrue();
        assertThat(found("σ", "ΟΔΟΣ")).isTrue();
        assertThat(found("ς", "ΟΔΟΣ")).as("final sigma folds with sigma").isTrue();
        assertThat(found("straße", "STRAßE")).isTrue();
        assertThat(found("strasse", "STRAßE")).as("no one-to-many folding").isFalse();
        assertThat(found("\ud801\udc28", "\ud801\udc00")).as("Deseret, four octets").isTrue();
    }

    @Test
    void asciiNeedlesDoNotMatchInsideDoubleByteCharacters() throws IOException {
        Charset sjis = Charset.forName("Shift_JIS");
        byte[] text = "アイウ".getBytes(sjis);
        assertThat(text).as("the second octet of ア is A").contains((byte) 'A');
        assertThat(found("a", text, sjis)).isFalse();
        assertThat(found("イ", text, sjis)).isTrue();
    }

    @Test
    void malformedUtf8IsNotAMatchForAnything() throws IOException {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(found("café", latin1, StandardCharsets.UTF_8)).isFalse();
        assertThat(found("caf", latin1, StandardCharsets.UTF_8)).isTrue();
        assertThat(found("café", latin1, StandardCharsets.ISO_8859_1)).isTrue();
    }
}
