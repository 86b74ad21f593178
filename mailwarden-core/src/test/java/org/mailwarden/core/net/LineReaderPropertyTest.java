package org.mailwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes and however they are split into reads, the reader returns lines within the limit
 * that, put back together with their terminators, are exactly the input.
 */
class LineReaderPropertyTest {

    @Provide
    Arbitrary<byte[]> streams() {
        // mostly CR, LF and a few letters, so that every terminator combination appears often
        return Arbitraries.of((byte) '\r', (byte) '\n', (byte) 'a', (byte) '.', (byte) 0, (byte) 0xff)
                .array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Integer>> chunking() {
        return Arbitraries.integers().between(1, 17).list().ofMinSize(1).ofMaxSize(10);
    }

    /** Hands out the bytes in reads of the given sizes, cycling, like a network would. */
    private static InputStream chunked(byte[] bytes, List<Integer> sizes) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            private int call;

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int size = sizes.get(call++ % sizes.size());
                return in.read(b, off, Math.min(len, size));
            }
        };
    }

    @Property(tries = 2000)
    void linesReassembleToTheInputAndStayWithinTheLimit(@ForAll("streams") byte[] input,
            @ForAll @IntRange(min = 1, max = 40) int max, @ForAll("chunking") List<Integer> chunks) throws IOException {
        LineReader reader = new LineReader(chunked(input, chunks), max);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 0; i <= input.length + 1; i++) {
            Line line = reader.readLine();
            assertThat(line.length()).isLessThanOrEqualTo(max);
            byte[] bytes = line.bytes();
            boolean hasCr = false;
            for (byte b : bytes) {
                assertThat(b).as("an LF never ends up inside a line").isNotEqualTo((byte) '\n');
                hasCr |= b == '\r';
            }
            assertThat(line.bareCr()).isEqualTo(hasCr);
            rebuilt.write(bytes);
            switch (line.ending()) {
                case CRLF -> rebuilt.write(new byte[] {'\r', '\n'});
                case LF -> {
                    rebuilt.write('\n');
                    assertThat(bytes.length == 0 || bytes[bytes.length - 1] != '\r').isTrue();
                }
                case TOO_LONG -> assertThat(line.length()).isEqualTo(max);
                case EOF -> {
                    assertThat(rebuilt.toByteArray()).isEqualTo(input);
                    return;
                }
            }
        }
        throw new AssertionError("no EOF after " + (input.length + 1) + " lines");
    }

    @Property(tries = 1000)
    void readExactlyAndSkipConsumeWhatTheySay(@ForAll("streams") byte[] input,
            @ForAll @IntRange(min = 1, max = 20) int max, @ForAll("chunking") List<Integer> chunks,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 30) Integer> operations) throws IOException {
        LineReader reader = new LineReader(chunked(input, chunks), max);
        ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        int position = 0;
        for (int op : operations) {
            if (op < 10) {
                // raw bytes, limited to what is left so that EOFException is not the point here
                int n = Math.min(op, input.length - position);
                reader.readExactly(n, consumed);
                position += n;
            } else if (op < 20) {
                Line line = reader.readLine();
                assertThat(line.length()).isLessThanOrEqualTo(max);
                position += line.length() + switch (line.ending()) {
                    case CRLF -> 2;
                    case LF -> 1;
                    case TOO_LONG, EOF -> 0;
                };
                consumed.write(line.bytes());
                consumed.write(switch (line.ending()) {
                    case CRLF -> new byte[] {'\r', '\n'};
                    case LF -> new byte[] {'\n'};
                    case TOO_LONG, EOF -> new byte[0];
                });
            } else {
                int before = position;
                boolean found = reader.skipRestOfLine();
                int lf = -1;
                for (int i = before; i < input.length; i++) {
                    if (input[i] == '\n') {
                        lf = i;
                        break;
                    }
                }
                assertThat(found).isEqualTo(lf >= 0);
                int end = found ? lf + 1 : input.length;
                consumed.write(input, before, end - before);
                position = end;
            }
            assertThat(position).isLessThanOrEqualTo(input.length);
        }
        assertThat(consumed.toByteArray()).isEqualTo(java.util.Arrays.copyOf(input, position));
    }
}
