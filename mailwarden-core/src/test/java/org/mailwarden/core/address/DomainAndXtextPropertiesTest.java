package org.mailwarden.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

class DomainAndXtextPropertiesTest {

    @Provide
    Arbitrary<String> domainish() {
        Arbitrary<String> label = Arbitraries.strings()
                .withChars("abcXYZ019-")
                .withCharRange('\u00e0', '\u00ff')
                .withChars("\u4e2d\u6587\u0301\u200d.\u3002 ")
                .ofMinLength(1).ofMaxLength(12);
        return label.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(".", l));
    }

    @Property(tries = 3000)
    void normalisedNamesAreLowerCaseLdhAndStable(@ForAll("domainish") String text) {
        String out;
        try {
            out = DomainName.normalize(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("\0", "\r", "\n");
            return;
        }
        assertThat(out).matches("[a-z0-9-]+(\\.[a-z0-9-]+)*");
        assertThat(out.length()).isLessThanOrEqualTo(DomainName.MAX_OCTETS);
        assertThat(DomainName.normalize(out)).isEqualTo(out);
        // Normalisation never adds or removes labels: an IDNA mapping can't split or merge them.
        assertThat(out.split("\\.", -1)).hasSameSizeAs(text.split("\\.", -1));
    }

    @Property(tries = 2000)
    void xtextRoundTrips(@ForAll @CharRange(from = ' ', to = '~') @StringLength(max = 60) String text) {
        String encoded = Xtext.encode(text);
        assertThat(encoded).matches("[!-~]*").doesNotContain("=", " ");
        assertThat(Xtext.decode(encoded)).isEqualTo(text);
    }

    @Property(tries = 2000)
    void mailFromNeverFailsWithAnythingButAReply(@ForAll String arg) {
        try {
            new PathParser().parseMailFrom("<" + arg);
            new PathParser().parseMailFrom(arg);
        } catch (PathException e) {
            assertThat(e.code()).isIn(501, 553, 555);
        }
    }
}
