package org.mailwarden.pop3;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one command line (without its CRLF) into a {@link Command} or the reason it is not one. A pure
 * function over bytes: keywords and arguments are separated by exactly one space (RFC 1939 §3), control
 * characters and malformed UTF-8 are refused anywhere, and each verb's argument count is checked here,
 * so the session states only ever see well-formed commands.
 */
final class CommandParser {

    /** RFC 2449 §4: a command line is at most 255 octets including its CRLF. */
    static final int MAX_LINE = 253;

    /** The result of parsing one line. */
    sealed interface Parsed {
        record Ok(Command command) implements Parsed {
        }

        /** Not a command; {@code reply} is the text after {@code -ERR}. */
        record Invalid(String reply) implements Parsed {
        }
    }

    private CommandParser() {
    }

    static Parsed parse(byte[] line) {
        if (line.length == 0) {
            return new Parsed.Invalid("empty command");
        }
        if (line.length > MAX_LINE) {
            return new Parsed.Invalid("command line too long (at most 255 octets with CRLF)");
        }
        for (byte b : line) {
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                return new Parsed.Invalid("control characters are not allowed in a command");
            }
        }
        Optional<String> decoded = utf8(line);
        if (decoded.isEmpty()) {
            return new Parsed.Invalid("the command is not valid UTF-8");
        }
        String text = decoded.get();
        int space = text.indexOf(' ');
        String keyword = space < 0 ? text : text.substring(0, space);
        Optional<Verb> verb = Verb.of(keyword);
        if (verb.isEmpty()) {
            return new Parsed.Invalid("unknown command");
        }
        Verb v = verb.get();
        if (space < 0) {
            return v.minArgs() == 0 ? new Parsed.Ok(new Command(v, List.of()))
                    : new Parsed.Invalid(v + " needs " + expected(v));
        }
        String rest = text.substring(space + 1);
        if (v.takesRestOfLine()) {
            return rest.isEmpty() ? new Parsed.Invalid(v + " needs " + expected(v))
                    : new Parsed.Ok(new Command(v, List.of(rest)));
        }
        List<String> args = new ArrayList<>();
        for (String word : rest.split(" ", -1)) {
            if (word.isEmpty()) {
                return new Parsed.Invalid("arguments are separated by exactly one space");
            }
            args.add(word);
        }
        if (args.size() < v.minArgs() || args.size() > v.maxArgs()) {
            return new Parsed.Invalid(v + " takes " + expected(v));
        }
        return new Parsed.Ok(new Command(v, args));
    }

    private static String expected(Verb v) {
        if (v.minArgs() == v.maxArgs()) {
            return switch (v.minArgs()) {
                case 0 -> "no arguments";
                case 1 -> "one argument";
                default -> v.minArgs() + " arguments";
            };
        }
        return v.minArgs() + " to " + v.maxArgs() + " arguments";
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
