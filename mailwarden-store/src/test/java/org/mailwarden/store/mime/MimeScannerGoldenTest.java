package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure the scanner computes is stored with every message, so a change to the scanner must not
 * change it for any message. This test holds the {@link StructureCodec} encoding of the structure of
 * every message of the test corpora (as a SHA-256 digest) (IMAP conformance messages, the Jazzer corpus of the MIME fuzz
 * target, this package's examples, generated hostile messages and messages at every limit), recorded
 * before the scanner was rewritten for speed, and asserts that the scanner still gives exactly that.
 * Run with {@code -Dmime.golden.record=true} to write the file again (only when a change of the
 * structure is intended, and say so in the commit).
 */
class MimeScannerGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/org/mailwarden/store/mime/structure-golden.txt");
    static final int GENERATED = 2000;

    /** Every message of the corpus by a stable name, in a stable order. */
    static Map<String, byte[]> corpus() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files(Path.of("../mailwarden-imap/src/test/resources/messages"), "imap/", out);
        files(Path.of("../mailwarden-tests/src/test/resources/org/mailwarden/reliability/fuzz/MimeFuzzTestInputs/mimeStructure"),
                "jazzer/", out);
        out.put("example/nested", MimeScannerTest.NESTED.getBytes(UTF_8));
        limits(out);
        for (int seed = 0; seed < GENERATED; seed++) {
            out.put("generated/" + seed, HostileMimeGenerator.message(seed));
        }
        return out;
    }

    private static void files(Path dir, String prefix, Map<String, byte[]> out) {
        assertThat(dir).as("corpus directory (the test runs in the module directory)").isDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                out.put(prefix + p.getFileName(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages at and beyond the scanner's bounds: nesting depth, part count, header size, line length. */
    private static void limits(Map<String, byte[]> out) {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < MimeScanner.MAX_DEPTH + 10; i++) {
            deep.append("Content-Type: multipart/mixed; boundary=d").append(i).append("\r\n\r\n--d").append(i).append("\r\n");
        }
        deep.append("\r\nleaf\r\n");
        out.put("limits/depth", deep.toString().getBytes(ISO_8859_1));
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < MimeScanner.MAX_DEPTH + 10; i++) {
            wrapped.append("Subject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        wrapped.append("Subject: innermost\r\n\r\nbody\r\n");
        out.put("limits/rfc822-depth", wrapped.toString().getBytes(ISO_8859_1));
        StringBuilder many = new StringBuilder("Content-Type: multipart/mixed; boundary=m\r\n\r\n");
        for (int i = 0; i < MimeScanner.MAX_PARTS + 100; i++) {
            many.append("--m\r\n\r\np").append(i).append("\r\n");
        }
        many.append("--m--\r\n");
        out.put("limits/parts", many.toString().getBytes(ISO_8859_1));
        StringBuilder header = new StringBuilder("Content-Type: multipart/mixed;\r\n");
        for (int i = 0; header.length() < MimeScanner.MAX_HEADER_BYTES + 1000; i++) {
            header.append(" x").append(i).append("=").append("v".repeat(70)).append(";\r\n");
        }
        header.append(" boundary=h\r\nSubject: after\r\n\r\n--h\r\n\r\nbody\r\n--h--\r\n");
        out.put("limits/header-bytes", header.toString().getBytes(ISO_8859_1));
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            fields.append("X-F").append(i).append(": v\r\n");
        }
        fields.append("From: last@example.test\r\n\r\nbody\r\n");
        out.put("limits/field-count", fields.toString().getBytes(ISO_8859_1));
        String longLine = "y".repeat(200_000);
        out.put("limits/long-lines", ("Content-Type: multipart/mixed; boundary=\"l\"\r\nSubject: " + longLine
                + "\r\n\r\n--l\r\n\r\n" + longLine + "\r\n--l" + " ".repeat(5000) + "\r\n\r\n" + longLine + "--l--\r\n--l--\r\n")
                .getBytes(ISO_8859_1));
        out.put("limits/empty", new byte[0]);
        out.put("limits/only-lf", "\n\n\n".getBytes(ISO_8859_1));
        out.put("limits/only-crlf", "\r\n".getBytes(ISO_8859_1));
    }

    /** A digest of the stored encoding of the message's structure (the file holds 16 octets per message, not the encodings). */
    static String encoded(byte[] message) {
        try {
            byte[] encoding = StructureCodec.encode(MimeScanner.scan(new ByteArrayInputStream(message)));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoding), 0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCorpusMessageKeepsItsRecordedStructure() throws IOException {
        Map<String, byte[]> corpus = corpus();
        if (Boolean.getBoolean("mime.golden.record")) {
            List<String> lines = new ArrayList<>();
            corpus.forEach((name, message) -> lines.add(name + " " + encoded(message)));
            Files.write(GOLDEN, lines, UTF_8);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN, UTF_8)) {
            int space = line.indexOf(' ');
            expected.put(line.substring(0, space), line.substring(space + 1));
        }
        assertThat(expected.keySet()).containsExactlyElementsOf(corpus.keySet());
        List<String> changed = new ArrayList<>();
        corpus.forEach((name, message) -> {
            if (!encoded(message).equals(expected.get(name))) {
                changed.add(name);
            }
        });
        assertThat(changed).as("messages whose structure changed").isEmpty();
    }
}
