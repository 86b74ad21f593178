package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Looks for one needle in streamed text without holding the text: it reads chunks of octets (raw, or
 * folded to UTF-8 by a {@link FoldingSource}) into one buffer, skip-searches each, and keeps the last
 * {@code needle length - 1} octets in front of the next chunk, so a match across chunk borders is found.
 * One scanner serves a whole SEARCH: its buffers (about 45 KiB) are allocated once, not per message.
 */
final class TextScanner {

    static final int CHUNK = 32 * 1024;

    private final FoldedNeedle needle;
    private final byte[] buffer;
    private final byte[] input = new byte[8 * 1024];
    private final char[] chars = new char[2 * 1024];

    TextScanner(FoldedNeedle needle) {
        this(needle, CHUNK);
    }

    /** With a given chunk size (tests use small ones to put matches across borders). */
    TextScanner(FoldedNeedle needle, int chunk) {
        this.needle = needle;
        this.buffer = new byte[Math.max(chunk, FoldingSource.MIN_ROOM) + needle.length()];
    }

    FoldedNeedle needle() {
        return needle;
    }

    /** Whether the text, octets in {@code charset} (transfer encoding already undone), contains the needle. */
    boolean contains(InputStream octets, Charset charset) throws IOException {
        if (needle.length() == 0) {
            return true;
        }
        FoldingSource source = source(octets, charset);
        int keep = needle.length() - 1;
        int held = 0;
        while (true) {
            int n = source.read(buffer, held, buffer.length - held);
            if (n < 0) {
                return false;
            }
            int total = held + n;
            if (needle.in(buffer, 0, total)) {
                return true;
            }
            held = Math.min(keep, total);
            System.arraycopy(buffer, total - held, buffer, 0, held);
        }
    }

    private FoldingSource source(InputStream octets, Charset charset) {
        if (needle.isAscii() && asciiCompatible(charset)) {
            return new FoldingSource.Raw(octets);
        }
        if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
            return new FoldingSource.Utf8(octets, input);
        }
        return new FoldingSource.Decoded(new InputStreamReader(octets, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), chars);
    }

    /**
     * Whether every octet below 0x80 in this charset is always that ASCII character, so an ASCII needle
     * can be matched on the raw octets. True for UTF-8, the ISO 8859 and Windows code pages, KOI8 and the
     * EUC encodings; false for Shift_JIS, Big5, GBK, GB18030 (ASCII octets inside double-byte characters),
     * ISO-2022 (escape sequences), UTF-16/32 and anything unknown, which are decoded instead.
     */
    static boolean asciiCompatible(Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
            return true;
        }
        String name = charset.name();
        return startsWith(name, "ISO-8859-") || startsWith(name, "windows-125") || startsWith(name, "KOI8-")
                || startsWith(name, "EUC-") || name.equalsIgnoreCase("x-EUC-TW") || name.equalsIgnoreCase("GB2312")
                || name.equalsIgnoreCase("TIS-620");
    }

    private static boolean startsWith(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
