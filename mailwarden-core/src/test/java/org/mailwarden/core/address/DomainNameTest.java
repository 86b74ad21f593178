package org.mailwarden.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

    @Test
    void normalisesCaseAndInternationalLabels() {
        assertThat(DomainName.normalize("Example.TEST")).isEqualTo("example.test");
        assertThat(DomainName.normalize("BÜCHER.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(DomainName.normalize("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
        // NFD input (u + combining diaeresis) gives the same A-label as NFC.
        assertThat(DomainName.normalize("bu\u0308cher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(DomainName.normalize("a-b.c1")).isEqualTo("a-b.c1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.test.", ".example.test", "a..b", "-a.test", "a-.test", "a_b.test", "a b.test",
            "a\u0000.test", "192.0.2.1", "a.123", "a\u200Db.test", "a\u3002b", "[192.0.2.1]", "a@b.test"})
    void refusesInvalidNamesWithAnExplanation(String bad) {
        assertThatThrownBy(() -> DomainName.normalize(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\u0000");
        assertThat(DomainName.isValid(bad)).isFalse();
    }

    @Test
    void enforcesLengthLimits() {
        assertThat(DomainName.normalize("a".repeat(63) + ".test")).hasSize(68);
        assertThatThrownBy(() -> DomainName.normalize("a".repeat(64) + ".test")).hasMessageContaining("63");
        String long255 = ("a".repeat(63) + ".").repeat(3) + "b".repeat(63);
        assertThat(DomainName.normalize(long255)).hasSize(255);
        assertThatThrownBy(() -> DomainName.normalize("c" + long255)).hasMessageContaining("63");
        assertThatThrownBy(() -> DomainName.normalize("c." + long255)).hasMessageContaining("255");
    }

    @Test
    void messagesSayHowToFixIt() {
        assertThatThrownBy(() -> DomainName.normalize("example.test.")).hasMessageContaining("without the trailing dot");
    }
}
