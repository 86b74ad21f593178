package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Generated MIME trees come back from the scanner with every leaf's exact bytes; arbitrary octets never
 * make it fail, and every range it reports lies inside the message and inside its parent.
 */
class MimeScannerFuzzTest {

    /** A generated entity: a leaf with its body text, or a multipart with children. */
    sealed interface Node permits Leaf, Multi, Wrapped {
    }

    record Leaf(String body) implements Node {
    }

    record Multi(List<Node> children) implements Node {
    }

    record Wrapped(Node message) implements Node {
    }

    @Provide
    Arbitrary<Node> trees() {
        return node(3);
    }

    private Arbitrary<Node> node(int depth) {
        Arbitrary<Node> leaf = Arbitraries.strings().withChars("ab- \r\n=.").ofMaxLength(40)
                .map(s -> s.replace("\r", "").replace("\n", "\r\n"))
                .filter(s -> !s.contains("--"))
                .map(Leaf::new);
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(2, node(depth - 1).list().ofMinSize(1).ofMaxSize(3).map(Multi::new)),
                net.jqwik.api.Tuple.of(1, node(depth - 1).map(Wrapped::new)));
    }

    private int boundaries;

    /** Writes an entity's header and body; returns the expected leaf bodies in depth-first order. */
    private void write(Node node, ByteArrayOutputStream out, List<String> leaves) {
        switch (node) {
            case Leaf l -> {
                out.writeBytes("Content-Type: text/plain\r\n\r\n".getBytes(ISO_8859_1));
                out.writeBytes(l.body().getBytes(ISO_8859_1));
                leaves.add(l.body());
            }
            case Wrapped w -> {
                out.writeBytes("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n".getBytes(ISO_8859_1));
                write(w.message(), out, leaves);
            }
            case Multi m -> {
                String b = "b" + (boundaries++) + "x";
                out.writeBytes(("Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\npre\r\n").getBytes(ISO_8859_1));
                for (Node child : m.children()) {
                    out.writeBytes(("\r\n--" + b + "\r\n").getBytes(ISO_8859_1));
                    write(child, out, leaves);
                }
                out.writeBytes(("\r\n--" + b + "--\r\nepi").getBytes(ISO_8859_1));
            }
        }
    }

    private static void collectLeaves(Part p, byte[] message, List<String> out) {
        if (p.isMultipart() || p.isMessage()) {
            p.parts().forEach(c -> collectLeaves(c, message, out));
            return;
        }
        out.add(new String(Arrays.copyOfRange(message, (int) p.bodyOffset(), (int) (p.bodyOffset() + p.bodySize())),
                ISO_8859_1));
    }

    @Property(tries = 300)
    void generatedTreesComeBackExactly(@ForAll("trees") Node tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Subject: t\r\n".getBytes(ISO_8859_1));
        List<String> expected = new ArrayList<>();
        write(tree, out, expected);
        byte[] message = out.toByteArray();
        MessageStructure s = MimeScanner.scan(new ByteArrayInputStream(message));
        List<String> actual = new ArrayList<>();
        collectLeaves(s.root(), message, actual);
        assertThat(actual).isEqualTo(expected);
        assertThat(StructureCodec.decode(StructureCodec.encode(s))).isEqualTo(s);
    }

    @Property(tries = 1000)
    void anyOctetsGiveRangesInsideTheMessage(@ForAll @Size(max = 600) byte[] noise, @ForAll("prefix") String prefix)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(ISO_8859_1));
        out.writeBytes(noise);
        byte[] message = out.toByteArray();
        MessageStructure s = MimeScanner.scan(new ByteArrayInputStream(message));
        checkRanges(s.root(), 0, message.length);
        assertThat(StructureCodec.decode(StructureCodec.encode(s))).isEqualTo(s);
    }

    @Provide
    Arbitrary<String> prefix() {
        return Arbitraries.of("", "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n",
                "Content-Type: message/rfc822\r\n\r\n", "Content-Type: multipart/digest; boundary=\"\"\r\n\r\n",
                "Content-Type: multipart/x; boundary=a\n\n--a\nContent-Type: multipart/y; boundary=a\n\n--a\n");
    }

    private static void checkRanges(Part p, long from, long to) {
        assertThat(p.headerOffset()).isBetween(from, to);
        assertThat(p.bodyOffset()).isBetween(p.headerOffset(), to);
        assertThat(p.bodyOffset() + p.bodySize()).isBetween(p.bodyOffset(), to);
        assertThat(p.bodyLines()).isNotNegative();
        for (Part c : p.parts()) {
            checkRanges(c, p.bodyOffset(), p.bodyOffset() + p.bodySize());
        }
    }
}
