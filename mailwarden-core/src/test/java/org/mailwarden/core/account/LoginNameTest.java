package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginNameTest {

    @Test
    void parsesTheThreeForms() {
        assertThat(LoginName.parse("Alice@Example.TEST")).isEqualTo(new LoginName.Address("alice", "example.test"));
        assertThat(LoginName.parse("EXAMPLE\\Alice")).isEqualTo(new LoginName.Qualified("example", "alice"));
        assertThat(LoginName.parse("example.test\\alice")).isEqualTo(new LoginName.Qualified("example.test", "alice"));
        assertThat(LoginName.parse("Alice")).isEqualTo(new LoginName.Bare("alice"));
        assertThat(LoginName.parse("a%b@bücher.example")).isEqualTo(new LoginName.Address("a%b", "xn--bcher-kva.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice@", "@example.test", "alice@example.test.", "alice@exa mple.test", " alice", "alice ",
            "al\tice", "al\u0000ice", "\\alice", "EXAMPLE\\", "EXAMPLE\\a\\b", "EX\\a@b.test", "alice@@b.test"})
    void refusesMalformedNames(String bad) {
        assertThatThrownBy(() -> LoginName.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongNames() {
        assertThatThrownBy(() -> LoginName.parse("a".repeat(65) + "@example.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginName.parse("a".repeat(321))).isInstanceOf(IllegalArgumentException.class);
    }
}
