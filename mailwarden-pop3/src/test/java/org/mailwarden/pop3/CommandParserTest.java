package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The command line parser: valid forms, and that no byte string makes it fail or pass junk through. */
class CommandParserTest {

    private static CommandParser.Parsed parse(String line) {
        return CommandParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validCommands() {
        assertThat(parse("stat")).isEqualTo(new CommandParser.Parsed.Ok(new Command(Verb.STAT, List.of())));
        assertThat(parse("Top 1 10")).isEqualTo(new CommandParser.Parsed.Ok(new Command(Verb.TOP, List.of("1", "10"))));
        assertThat(parse("PASS  spaced  secret ")).isEqualTo(
                new CommandParser.Parsed.Ok(new Command(Verb.PASS, List.of(" spaced  secret "))));
        assertThat(parse("AUTH PLAIN =")).isEqualTo(
                new CommandParser.Parsed.Ok(new Command(Verb.AUTH, List.of("PLAIN", "="))));
        assertThat(parse("USER j\u00f6rg@example.test")).isEqualTo(
                new CommandParser.Parsed.Ok(new Command(Verb.USER, List.of("j\u00f6rg@example.test"))));
    }

    @Test
    void invalidCommands() {
        assertThat(parse("STAT\u0000")).isEqualTo(new CommandParser.Parsed.Invalid("control characters are not allowed in a command"));
        assertThat(parse("x".repeat(254))).isEqualTo(new CommandParser.Parsed.Invalid("command line too long (at most 255 octets with CRLF)"));
        assertThat(parse("UIDL 1 ")).isEqualTo(new CommandParser.Parsed.Invalid("arguments are separated by exactly one space"));
    }

    @Property(tries = 2000)
    void anyBytesParseToACommandWithinItsArityOrAnError(@ForAll("lines") byte[] line) {
        switch (CommandParser.parse(line)) {
            case CommandParser.Parsed.Ok ok -> {
                Command c = ok.command();
                assertThat(c.args().size()).isBetween(c.verb().minArgs(), c.verb().maxArgs());
                assertThat(c.args()).allSatisfy(a -> {
                    assertThat(a).isNotEmpty();
                    assertThat(a.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f)).isTrue();
                    if (c.verb() != Verb.PASS) {
                        assertThat(a).doesNotContain(" ");
                    }
                });
            }
            case CommandParser.Parsed.Invalid invalid -> assertThat(invalid.reply()).isNotBlank().doesNotContain("\r", "\n");
        }
    }

    @Provide
    Arbitrary<byte[]> lines() {
        Arbitrary<String> words = Arbitraries.oneOf(
                Arbitraries.of("STAT", "list", "Retr", "TOP", "DELE", "UIDL", "USER", "PASS", "AUTH", "CAPA", "QUIT",
                        "NOOP", "RSET", "STLS", "APOP", "1", "0", "-1", "99999999999", "", " ", "\u00e9", "\t", "\r"),
                Arbitraries.strings().ofMaxLength(8));
        Arbitrary<byte[]> structured = words.list().ofMaxSize(5).map(l -> String.join(" ", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(structured, random);
    }
}
