package org.mailwarden.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.mailwarden.store.mime.MessageStructure;
import org.mailwarden.store.mime.MimeScanner;
import org.mailwarden.store.mime.StructureCodec;

/**
 * Jazzer target for the MIME structure parsing done once at delivery (the store's {@link MimeScanner},
 * whose result IMAP FETCH serves as BODYSTRUCTURE, ENVELOPE and section offsets). On any message it must
 * return a structure whose every part lies inside the message and inside its parent's body, with children
 * in order and not overlapping, and which survives the store's encoding unchanged. Any exception is a
 * finding. The input is the message.
 */
class MimeFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void mimeStructure(byte[] message) throws IOException {
        MessageStructure structure = MimeScanner.scan(new ByteArrayInputStream(message));
        MessageStructure.Part root = structure.root();
        assertThat(root.headerOffset()).isZero();
        check(root, 0, message.length, 0);
        assertThat(StructureCodec.decode(StructureCodec.encode(structure))).isEqualTo(structure);
    }

    /** Checks a part against the byte range [from, to) it must stay in, and its children against its body. */
    private static int check(MessageStructure.Part part, long from, long to, int depth) {
        assertThat(depth).as("nesting depth").isLessThan(200);
        assertThat(part.headerOffset()).isBetween(from, to);
        assertThat(part.bodyOffset()).isBetween(part.headerOffset(), to);
        assertThat(part.bodySize()).isNotNegative();
        assertThat(part.bodyOffset() + part.bodySize()).isLessThanOrEqualTo(to);
        assertThat(part.bodyLines()).isNotNegative().isLessThanOrEqualTo(part.bodySize() + 1);
        assertThat(part.type()).isNotBlank();
        assertThat(part.subtype()).isNotBlank();
        long bodyEnd = part.bodyOffset() + part.bodySize();
        long previousEnd = part.bodyOffset();
        int parts = 1;
        for (MessageStructure.Part child : part.parts()) {
            assertThat(child.headerOffset()).as("children in order, not overlapping").isGreaterThanOrEqualTo(previousEnd);
            parts += check(child, part.bodyOffset(), bodyEnd, depth + 1);
            previousEnd = child.bodyOffset() + child.bodySize();
        }
        return parts;
    }
}
