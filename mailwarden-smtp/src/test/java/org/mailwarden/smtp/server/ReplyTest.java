package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void oneLineCarriesTheEnhancedCode() {
        assertThat(Reply.of(550, "5.1.1", "No such user").render()).isEqualTo("550 5.1.1 No such user\r\n");
    }

    @Test
    void everyLineOfAMultiLineReplyCarriesCodeAndStatus() {
        assertThat(Reply.of(214, "2.0.0", List.of("a", "b", "c")).render())
                .isEqualTo("214-2.0.0 a\r\n214-2.0.0 b\r\n214 2.0.0 c\r\n");
    }

    @Test
    void greetingAndEhloRepliesGoWithoutEnhancedCode() {
        assertThat(Reply.plain(250, List.of("mx.example.test", "PIPELINING")).render())
                .isEqualTo("250-mx.example.test\r\n250 PIPELINING\r\n");
    }

    @Test
    void controlCharactersFromClientInputNeverBreakTheReplyLine() {
        String rendered = Reply.of(501, "5.1.3", "Bad address <a\r\n250 2.0.0 injected>").render();
        assertThat(rendered).isEqualTo("501 5.1.3 Bad address <a??250 2.0.0 injected>\r\n");
    }

    @Test
    void overlongTextIsCut() {
        assertThat(Reply.of(500, "5.5.2", "x".repeat(5000)).render().length()).isLessThan(420);
    }

    @Test
    void enhancedClassMustMatchTheReplyCode() {
        assertThatThrownBy(() -> Reply.of(250, "5.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(250, "2.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(600, "5.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(250, "2.0.0", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void classifiesFailures() {
        assertThat(Reply.of(250, "2.0.0", "Ok").failure()).isFalse();
        assertThat(Reply.of(452, "4.5.3", "Too many").failure()).isTrue();
        assertThat(Reply.intermediate(354, "Go").positive()).isTrue();
    }

    @Test
    void intermediateRepliesHaveNoEnhancedCode() {
        assertThat(Reply.intermediate(334, "").render()).isEqualTo("334 \r\n");
        assertThatThrownBy(() -> Reply.of(354, "2.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.intermediate(250, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
