package org.mailwarden.store.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.mailwarden.core.io.MessageContent;

/** Message contents for tests: from bytes or text, or generated on the fly so huge bodies need no memory. */
public final class TestContent {

    private TestContent() {
    }

    public static MessageContent of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static MessageContent of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new MessageContent() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }

    /** {@code size} pseudo-random octets determined by {@code seed}; {@link #generatedStream} yields the same bytes. */
    public static MessageContent generated(long size, long seed) {
        return new MessageContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() {
                return generatedStream(size, seed);
            }
        };
    }

    public static InputStream generatedStream(long size, long seed) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }
}
