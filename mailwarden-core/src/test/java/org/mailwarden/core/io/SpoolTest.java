package org.mailwarden.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private Path tmp() {
        return dir.resolve("data/tmp");
    }

    private long filesInTmp() throws Exception {
        if (!Files.exists(tmp())) {
            return 0;
        }
        try (Stream<Path> files = Files.list(tmp())) {
            return files.count();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(Spool spool) throws Exception {
        try (InputStream in = spool.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void smallMessagesStayInMemory() throws Exception {
        byte[] message = random(1000);
        Spool.Writer writer = Spool.writer(tmp(), 4096, 1 << 20);
        writer.write(message, 0, 500);
        writer.write(message, 500, 500);
        try (Spool spool = writer.finish()) {
            assertThat(spool.isOnDisk()).isFalse();
            assertThat(spool.size()).isEqualTo(1000);
            assertThat(readAll(spool)).isEqualTo(message);
            assertThat(readAll(spool)).as("open() may be called again").isEqualTo(message);
        }
        assertThat(filesInTmp()).isZero();
    }

    @Test
    void largeMessagesSpillToAFileThatCloseDeletes() throws Exception {
        byte[] message = random(300_000);
        Spool spool;
        try (Spool.Writer writer = Spool.writer(tmp(), Spool.DEFAULT_MEMORY_THRESHOLD, 10 << 20)) {
            for (int i = 0; i < message.length; i += 1000) {
                writer.write(message, i, Math.min(1000, message.length - i));
            }
            spool = writer.finish();
        }
        assertThat(spool.isOnDisk()).isTrue();
        assertThat(filesInTmp()).isEqualTo(1);
        assertThat(spool.size()).isEqualTo(message.length);
        assertThat(readAll(spool)).isEqualTo(message);
        spool.close();
        assertThat(filesInTmp()).isZero();
        assertThatThrownBy(spool::open).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exactlyTheThresholdStaysInMemoryAndOneMoreByteSpills() throws Exception {
        Spool.Writer atThreshold = Spool.writer(tmp(), 100, 1000);
        atThreshold.write(random(100));
        assertThat(atThreshold.finish().isOnDisk()).isFalse();
        Spool.Writer over = Spool.writer(tmp(), 100, 1000);
        over.write(random(100));
        over.write('x');
        try (Spool spool = over.finish()) {
            assertThat(spool.isOnDisk()).isTrue();
            assertThat(spool.size()).isEqualTo(101);
        }
    }

    @Test
    void sizeLimitThrowsAndKeepsNothingMore() throws Exception {
        Spool.Writer writer = Spool.writer(tmp(), 10, 1000);
        writer.write(random(1000));
        assertThat(filesInTmp()).isEqualTo(1);
        assertThatThrownBy(() -> writer.write('x')).isInstanceOf(MessageTooLargeException.class)
                .hasMessage("message exceeds the size limit of 1000 bytes");
        assertThat(writer.isTooLarge()).isTrue();
        assertThat(filesInTmp()).as("the partial file is deleted at once").isZero();
        assertThatThrownBy(() -> writer.write(new byte[1], 0, 1)).isInstanceOf(MessageTooLargeException.class);
        assertThat(writer.size()).isEqualTo(1000);
        assertThatThrownBy(writer::finish).isInstanceOf(MessageTooLargeException.class);
        writer.close();
        assertThat(filesInTmp()).isZero();
    }

    @Test
    void anAbandonedWriterDeletesItsFile() throws Exception {
        try (Spool.Writer writer = Spool.writer(tmp(), 10, 1000)) {
            writer.write(random(500));
            assertThat(filesInTmp()).isEqualTo(1);
        }
        assertThat(filesInTmp()).isZero();
    }

    @Test
    void emptyMessage() throws Exception {
        try (Spool spool = Spool.writer(tmp(), 10, 1000).finish()) {
            assertThat(spool.size()).isZero();
            assertThat(readAll(spool)).isEmpty();
        }
    }

    @Test
    void byteWiseWritesAfterSpilling() throws Exception {
        byte[] message = random(5000);
        Spool.Writer writer = Spool.writer(tmp(), 100, 5000);
        for (byte b : message) {
            writer.write(b);
        }
        assertThatThrownBy(() -> writer.write('x')).isInstanceOf(MessageTooLargeException.class);
        assertThat(filesInTmp()).isZero();

        Spool.Writer ok = Spool.writer(tmp(), 100, 5000);
        for (byte b : message) {
            ok.write(b);
        }
        try (Spool spool = ok.finish()) {
            assertThat(readAll(spool)).isEqualTo(message);
        }
    }

    @Test
    void leftoversOfACrashAreDeletedAtStartup() throws Exception {
        Spool.Writer crashed = Spool.writer(tmp(), 10, 1000);
        crashed.write(random(100));
        Files.writeString(tmp().resolve("other-file"), "not ours");
        assertThat(Spool.deleteLeftovers(tmp())).isEqualTo(1);
        assertThat(filesInTmp()).isEqualTo(1);
        assertThat(Spool.deleteLeftovers(dir.resolve("missing"))).isZero();
    }
}
