package org.mailwarden.imap.parser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.mailwarden.core.net.LineReader;

/**
 * Fuzzing the command reader: whatever bytes arrive, parsing ends in a value or an
 * {@link ImapParseException}, never another exception, and after {@link CommandReader#skipCommand()}
 * the next well-formed command is read intact. Strings of any content survive the trip through
 * quoted strings and both kinds of literal.
 */
class CommandReaderFuzzTest {

    private static final ImapLimits LIMITS = new ImapLimits(1024, 8192, 512, 4096, 4, 200, 4096);

    /** A generic grammar: tag SP atom *(SP (astring / list of astrings / sequence set)). */
    private static List<String> parseGeneric(CommandReader r) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(r.tag());
        r.sp();
        out.add(r.keyword());
        while (!r.atEnd()) {
            r.sp();
            if (r.peek() == '(') {
                r.openList();
                while (!r.take(')')) {
                    if (r.peek() == '(') {
                        r.openList();
                        r.closeList();
                    } else {
                        out.add(r.astring());
                    }
                    r.take(' ');
                }
            } else if (r.peekSequenceSet()) {
                out.add(r.sequenceSet().toString());
            } else {
                out.add(r.astring());
            }
        }
        return out;
    }

    @Provide
    Arbitrary<byte[]> garbageLine() {
        Arbitrary<Character> interesting = Arbitraries.of('(', ')', '{', '}', '"', '\\', ' ', '*', '%', '$', ':', ',',
                '+', '~', '1', '0', '9', 'a', 'Z', '\r', '\u0000', ']', '[');
        Arbitrary<Character> any = Arbitraries.chars().range('\u0000', '\u00ff');
        return Arbitraries.oneOf(interesting, any).list().ofMaxSize(300)
                .map(chars -> {
                    byte[] b = new byte[chars.size()];
                    for (int i = 0; i < b.length; i++) {
                        char c = chars.get(i);
                        b[i] = (byte) (c == '\n' ? ' ' : c);
                    }
                    return b;
                })
                // a line ending in a literal announcement would make the client send data; that case has its own test
                .filter(b -> CommandReader.tailLiteral(b) == null);
    }

    @Property(tries = 2000)
    void garbageNeverDesynchronisesTheSession(@ForAll("garbageLine") byte[] garbage) throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(garbage);
        input.writeBytes("\r\nZZZ9 NOOP\r\n".getBytes(UTF_8));
        CommandReader r = new CommandReader(new LineReader(new ByteArrayInputStream(input.toByteArray()), 1024), LIMITS,
                () -> { });
        List<String> last = null;
        for (int i = 0; i < 10 && last == null; i++) {
            CommandReader.Start start = r.next();
            assertThat(start).isNotEqualTo(CommandReader.Start.EOF);
            try {
                if (start == CommandReader.Start.TOO_LONG) {
                    r.skipCommand();
                    continue;
                }
                List<String> parsed = parseGeneric(r);
                if (parsed.getFirst().equals("ZZZ9")) {
                    last = parsed;
                }
            } catch (ImapParseException e) {
                assertThat(e.getMessage()).isNotBlank();
                r.skipCommand();
            }
        }
        assertThat(last).containsExactly("ZZZ9", "NOOP");
        assertThat(r.next()).isEqualTo(CommandReader.Start.EOF);
    }

    @Property(tries = 1000)
    void garbageWithLiteralsEndsInAValueOrAParseError(@ForAll @Size(max = 400) byte[] input) throws IOException {
        CommandReader r = new CommandReader(new LineReader(new ByteArrayInputStream(input), 1024), LIMITS, () -> { });
        try {
            for (int i = 0; i < 20; i++) {
                CommandReader.Start start = r.next();
                if (start == CommandReader.Start.EOF) {
                    return;
                }
                try {
                    if (start == CommandReader.Start.COMMAND) {
                        parseGeneric(r);
                    } else {
                        r.skipCommand();
                    }
                } catch (ImapParseException e) {
                    if (e.fatal()) {
                        return;
                    }
                    r.skipCommand();
                }
            }
        } catch (ImapParseException e) {
            assertThat(e.fatal()).isTrue();
        } catch (EOFException e) {
            // the input ended inside a literal: the session would end
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().withCharRange('\u0001', '\u00ff').withChars('\u00e9', '\u4e2d', '"', '\\', '\r', '\n')
                .ofMaxLength(200);
    }

    @Property(tries = 1000)
    void stringsRoundTripInEveryEncoding(@ForAll("anyText") String value, @ForAll("encoding") int encoding)
            throws IOException {
        byte[] bytes = value.getBytes(UTF_8);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes("t CMD ".getBytes(UTF_8));
        boolean quotable = value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0;
        if (encoding == 0 && quotable) {
            input.write('"');
            for (byte b : bytes) {
                if (b == '"' || b == '\\') {
                    input.write('\\');
                }
                input.write(b);
            }
            input.write('"');
        } else {
            input.writeBytes(("{" + bytes.length + (encoding == 2 ? "+" : "") + "}\r\n").getBytes(UTF_8));
            input.writeBytes(bytes);
        }
        input.writeBytes(" end\r\n".getBytes(UTF_8));
        List<String> continuations = new ArrayList<>();
        CommandReader r = new CommandReader(new LineReader(new ByteArrayInputStream(input.toByteArray()), 1024), LIMITS,
                () -> continuations.add("+"));
        r.next();
        assertThat(parseGeneric(r)).containsExactly("t", "CMD", value, "end");
        assertThat(continuations).hasSize(encoding == 1 || (encoding == 0 && !quotable) ? 1 : 0);
    }

    @Provide
    Arbitrary<Integer> encoding() {
        return Arbitraries.integers().between(0, 2);
    }

    @Property(tries = 500)
    void sequenceSetsResolveToTheNumbersTheyName(@ForAll("ranges") List<long[]> ranges, @ForAll("star") long star) {
        StringBuilder text = new StringBuilder();
        NumberSet.Builder expected = new NumberSet.Builder();
        for (long[] r : ranges) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            String a = r[0] == 0 ? "*" : Long.toString(r[0]);
            String b = r[1] == 0 ? "*" : Long.toString(r[1]);
            text.append(a).append(':').append(b);
            long lo = r[0] == 0 ? star : r[0];
            long hi = r[1] == 0 ? star : r[1];
            if (lo != 0 || hi != 0) {
                expected.addRange(Math.max(1, Math.min(lo, hi)), Math.max(lo, hi));
            }
        }
        NumberSet resolved = SequenceSet.parse(text.toString()).resolve(star);
        assertThat(resolved).isEqualTo(expected.build());
        assertThat(SequenceSet.parse(resolved.isEmpty() ? "1" : resolved.toString()).resolve(star))
                .isEqualTo(resolved.isEmpty() ? NumberSet.of(1) : resolved);
    }

    @Provide
    Arbitrary<List<long[]>> ranges() {
        return Arbitraries.longs().between(0, 50).list().ofSize(2).map(l -> new long[] {l.get(0), l.get(1)})
                .list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Long> star() {
        return Arbitraries.longs().between(0, 60);
    }
}
