package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Text of a body part as octets a {@link FoldedNeedle} can be matched on, read in chunks into the
 * caller's buffer: raw octets (for an ASCII needle over ASCII-compatible text), UTF-8 folded code point
 * by code point without a decoder, or text of any other charset decoded and re-encoded as folded UTF-8.
 * Each keeps at most one small buffer, which the {@link TextScanner} lends it.
 */
abstract sealed class FoldingSource {

    /** Room a caller must offer: the longest UTF-8 sequence. */
    static final int MIN_ROOM = 4;

    /**
     * Reads into {@code dst[off, off + len)}, {@code len >= MIN_ROOM}.
     *
     * @return the number of octets, at least one, or -1 at the end of the text
     */
    abstract int read(byte[] dst, int off, int len) throws IOException;

    /** The octets as they are; the needle folds A–Z as it compares. */
    static final class Raw extends FoldingSource {
        private final InputStream in;

        Raw(InputStream in) {
            this.in = in;
        }

        @Override
        int read(byte[] dst, int off, int len) throws IOException {
            return in.read(dst, off, len);
        }
    }

    /**
     * UTF-8 folded on the octets: ASCII through a table, a multi-octet sequence decoded only to fold it.
     * A malformed octet passes as it is, so it matches nothing a needle (valid UTF-8) contains.
     */
    static final class Utf8 extends FoldingSource {
        private final InputStream in;
        private final byte[] input;
        private int pos;
        private int limit;
        private boolean eof;

        Utf8(InputStream in, byte[] input) {
            this.in = in;
            this.input = input;
        }

        @Override
        int read(byte[] dst, int off, int len) throws IOException {
            byte[] fold = CaseFold.ASCII;
            int o = off;
            int end = off + len;
            while (end - o >= MIN_ROOM) {
                if (limit - pos < MIN_ROOM && !eof) {
                    refill();
                }
                if (pos == limit) {
                    break;
                }
                int b = input[pos];
                if (b >= 0) {
                    int stop = pos + Math.min(limit - pos, end - o);
                    while (pos < stop && input[pos] >= 0) {
                        dst[o++] = fold[input[pos++]];
                    }
                    continue;
                }
                int need = (b & 0xf8) == 0xf0 ? 4 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xe0) == 0xc0 ? 2 : 1;
                if (limit - pos < need && !eof) {
                    continue;
                }
                int cp = need > 1 && limit - pos >= need ? decode(need) : -1;
                if (cp < 0) {
                    dst[o++] = input[pos++];
                    continue;
                }
                o = encode(CaseFold.fold(cp), dst, o);
                pos += need;
            }
            return o == off ? -1 : o - off;
        }

        /** The code point of the {@code need}-octet sequence at {@code pos}, or -1 when it is malformed. */
        private int decode(int need) {
            int cp = input[pos] & (0x7f >> need);
            for (int k = 1; k < need; k++) {
                int c = input[pos + k];
                if ((c & 0xc0) != 0x80) {
                    return -1;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            int min = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) {
                return -1;
            }
            return cp;
        }

        private void refill() throws IOException {
            int left = limit - pos;
            System.arraycopy(input, pos, input, 0, left);
            pos = 0;
            limit = left;
            int n = in.read(input, limit, input.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    /** Text in another charset: decoded to characters, folded, and encoded as UTF-8. */
    static final class Decoded extends FoldingSource {
        private final Reader in;
        private final char[] chars;
        private int pos;
        private int limit;
        private boolean eof;

        Decoded(Reader in, char[] chars) {
            this.in = in;
            this.chars = chars;
        }

        @Override
        int read(byte[] dst, int off, int len) throws IOException {
            int o = off;
            int end = off + len;
            while (end - o >= MIN_ROOM) {
                if (limit - pos < 2 && !eof) {
                    int left = limit - pos;
                    System.arraycopy(chars, pos, chars, 0, left);
                    pos = 0;
                    limit = left;
                    int n = in.read(chars, limit, chars.length - limit);
                    if (n < 0) {
                        eof = true;
                    } else {
                        limit += n;
                    }
                    continue;
                }
                if (pos == limit) {
                    break;
                }
                int cp = Character.codePointAt(chars, pos, limit);
                pos += Character.charCount(cp);
                o = encode(CaseFold.fold(cp), dst, o);
            }
            return o == off ? -1 : o - off;
        }
    }

    /** Writes {@code cp} as UTF-8 at {@code o}; returns the position after it. */
    static int encode(int cp, byte[] dst, int o) {
        if (cp < 0x80) {
            dst[o++] = (byte) cp;
        } else if (cp < 0x800) {
            dst[o++] = (byte) (0xc0 | cp >> 6);
            dst[o++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            dst[o++] = (byte) (0xe0 | cp >> 12);
            dst[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            dst[o++] = (byte) (0x80 | cp & 0x3f);
        } else {
            dst[o++] = (byte) (0xf0 | cp >> 18);
            dst[o++] = (byte) (0x80 | cp >> 12 & 0x3f);
            dst[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            dst[o++] = (byte) (0x80 | cp & 0x3f);
        }
        return o;
    }
}
