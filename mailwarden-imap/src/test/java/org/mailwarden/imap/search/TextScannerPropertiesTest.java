package org.mailwarden.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The octet matcher against the obvious reference, {@code haystack.toLowerCase(Locale.ROOT).contains(
 * needle.toLowerCase(Locale.ROOT))}, over random ASCII, Latin-1 and Unicode (up to four-octet UTF-8) texts
 * and needles — half of them cut from the text with random letters upper-cased — read through small
 * chunks and short reads, so that needles and UTF-8 sequences cross every kind of border. The alphabets
 * leave out the few characters where the reference is not a one-to-one fold (İ, µ, the Greek sigmas).
 */
class TextScannerPropertiesTest {

    /** A text, a needle, the scanner's chunk size and the longest read the stream returns. */
    record Case(String haystack, String needle, int chunk, int maxRead) {
    }

    private static final int[] ASCII = IntStream.concat(IntStream.rangeClosed(0x20, 0x7e), IntStream.of('\r', '\n', '\t'))
            .toArray();
    private static final int[] LATIN1 = IntStream.concat(IntStream.of(ASCII),
            IntStream.rangeClosed(0xa0, 0xff).filter(c -> c != 0xb5)).toArray();
    private static final int[] UNICODE = java.util.stream.Stream.of(
                    IntStream.of(ASCII),
                    IntStream.rangeClosed(0xc0, 0xff),
                    IntStream.rangeClosed(0x100, 0x17f).filter(c -> c != 0x130),
                    IntStream.rangeClosed(0x391, 0x3a9).filter(c -> c != 0x3a2 && c != 0x3a3),
                    IntStream.rangeClosed(0x3b1, 0x3c9).filter(c -> c != 0x3c2 && c != 0x3c3),
                    IntStream.rangeClosed(0x410, 0x44f),
                    IntStream.of(0x4e2d, 0x6587, 0x65e5, 0x672c, 0x20ac, 0x2603),
                    IntStream.rangeClosed(0x10400, 0x1044f),
                    IntStream.rangeClosed(0x1f600, 0x1f60f))
            .flatMapToInt(s -> s).toArray();
    /** Few letters in both cases, so that random needles match often. */
    private static final int[] SMALL = {'a', 'A', 'b', 'B', ' ', 0xe4, 0xc4, 0x3b2, 0x392, 0x10428, 0x10400, 0x1f600};

    @Property(tries = 1500)
    void utf8AgreesWithTheReference(@ForAll("unicode") Case c) throws IOException {
        assertThat(scan(c, StandardCharsets.UTF_8)).as(c.toString()).isEqualTo(reference(c));
    }

    @Property(tries = 1000)
    void utf8OfFewLettersAgreesWithTheReference(@ForAll("small") Case c) throws IOException {
        assertThat(scan(c, StandardCharsets.UTF_8)).as(c.toString()).isEqualTo(reference(c));
    }

    @Property(tries = 1000)
    void latin1AgreesWithTheReference(@ForAll("latin1") Case c) throws IOException {
        assertThat(scan(c, StandardCharsets.ISO_8859_1)).as(c.toString()).isEqualTo(reference(c));
    }

    @Property(tries = 500)
    void asciiAgreesWithTheReference(@ForAll("ascii") Case c) throws IOException {
        assertThat(scan(c, StandardCharsets.US_ASCII)).as(c.toString()).isEqualTo(reference(c));
    }

    @Property(tries = 500)
    void utf16IsDecodedFirst(@ForAll("unicode") Case c) throws IOException {
        assertThat(scan(c, StandardCharsets.UTF_16LE)).as(c.toString()).isEqualTo(reference(c));
    }

    @Property(tries = 1000)
    void decodedStringsAgreeWithTheReference(@ForAll("unicode") Case c) {
        assertThat(FoldedNeedle.of(c.needle()).in(c.haystack())).as(c.toString()).isEqualTo(reference(c));
    }

    /** Any octets, valid UTF-8 or not: an ASCII needle matches exactly where the octets spell it in any case. */
    @Property(tries = 1000)
    void asciiNeedleOnArbitraryOctets(@ForAll("octets") byte[] text, @ForAll("asciiNeedle") String needle) throws IOException {
        String latin1 = new String(text, StandardCharsets.ISO_8859_1);
        boolean expected = asciiLower(latin1).contains(asciiLower(needle));
        assertThat(new TextScanner(FoldedNeedle.of(needle), 16).contains(new ByteArrayInputStream(text), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    /** Malformed UTF-8 never fails a search; a valid needle still matches the valid text around it. */
    @Property(tries = 500)
    void malformedUtf8IsSkippedNotFatal(@ForAll("octets") byte[] noise, @ForAll("unicode") Case c) throws IOException {
        byte[] valid = c.haystack().getBytes(StandardCharsets.UTF_8);
        byte[] text = new byte[noise.length + valid.length + noise.length];
        System.arraycopy(noise, 0, text, 0, noise.length);
        System.arraycopy(valid, 0, text, noise.length, valid.length);
        System.arraycopy(noise, 0, text, noise.length + valid.length, noise.length);
        boolean found = new TextScanner(FoldedNeedle.of(c.needle()), c.chunk())
                .contains(new ShortReads(text, c.maxRead()), StandardCharsets.UTF_8);
        if (reference(c)) {
            assertThat(found).as(c.toString()).isTrue();
        }
    }

    private static boolean scan(Case c, Charset charset) throws IOException {
        byte[] text = c.haystack().getBytes(charset);
        return new TextScanner(FoldedNeedle.of(c.needle()), c.chunk()).contains(new ShortReads(text, c.maxRead()), charset);
    }

    private static boolean reference(Case c) {
        return c.haystack().toLowerCase(Locale.ROOT).contains(c.needle().toLowerCase(Locale.ROOT));
    }

    private static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(ch -> out.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : (char) ch));
        return out.toString();
    }

    @Provide
    Arbitrary<Case> unicode() {
        return cases(UNICODE);
    }

    @Provide
    Arbitrary<Case> small() {
        return cases(SMALL);
    }

    @Provide
    Arbitrary<Case> latin1() {
        return cases(LATIN1);
    }

    @Provide
    Arbitrary<Case> ascii() {
        return cases(ASCII);
    }

    @Provide
    Arbitrary<byte[]> octets() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<String> asciiNeedle() {
        return Arbitraries.strings().withChars("aAbBzZ\u0000\u007f~@[`{").ofMinLength(0).ofMaxLength(4);
    }

    private static Arbitrary<Case> cases(int[] alphabet) {
        Arbitrary<String> text = text(alphabet, 0, 400);
        Arbitrary<String> randomNeedle = text(alphabet, 0, 6);
        return Combinators.combine(text, randomNeedle, Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000), Arbitraries.longs(),
                        Arbitraries.integers().between(4, 64), Arbitraries.integers().between(1, 40))
                .as((haystack, random, from, length, seed, chunk, maxRead) -> {
                    String needle = random;
                    if (seed % 2 == 0 && !haystack.isEmpty()) {
                        int cps = haystack.codePointCount(0, haystack.length());
                        int start = from % cps;
                        int end = Math.min(cps, start + 1 + length % 12);
                        needle = randomCase(haystack.substring(haystack.offsetByCodePoints(0, start),
                                haystack.offsetByCodePoints(0, end)), seed);
                    }
                    return new Case(haystack, needle, chunk, maxRead);
                });
    }

    private static Arbitrary<String> text(int[] alphabet, int min, int max) {
        return Arbitraries.of(IntStream.of(alphabet).boxed().toList()).list().ofMinSize(min).ofMaxSize(max)
                .map(cps -> {
                    StringBuilder s = new StringBuilder();
                    cps.forEach(s::appendCodePoint);
                    return s.toString();
                });
    }

    /** Upper-cases the code points whose bit in {@code seed} is set. */
    private static String randomCase(String s, long seed) {
        StringBuilder out = new StringBuilder();
        int[] i = {0};
        s.codePoints().forEach(cp -> out.appendCodePoint((seed >>> (1 + i[0]++ % 62) & 1) == 1 ? Character.toUpperCase(cp) : cp));
        return out.toString();
    }

    /** A stream that returns at most {@code maxRead} octets a read, to split UTF-8 sequences. */
    private static final class ShortReads extends InputStream {
        private final byte[] data;
        private final int maxRead;
        private int pos;

        ShortReads(byte[] data, int maxRead) {
            this.data = data;
            this.maxRead = maxRead;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, maxRead), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
