package org.mailwarden.imap.search;

import java.io.IOException;
import java.io.Reader;

/**
 * Looks for a string in a stream of text without holding the text: it reads chunks, folds their case,
 * and keeps the last {@code needle.length() - 1} characters of each chunk in front of the next, so a
 * match across chunk borders is found. Memory is one chunk whatever the size of the text.
 */
final class TextMatcher {

    private static final int CHUNK = 16 * 1024;

    private TextMatcher() {
    }

    static boolean contains(Reader reader, String needle) throws IOException {
        String folded = Folding.fold(needle);
        if (folded.isEmpty()) {
            return true;
        }
        int keep = folded.length() - 1;
        char[] buffer = new char[CHUNK + keep];
        int held = 0;
        while (true) {
            int n = reader.read(buffer, held, CHUNK);
            if (n < 0) {
                return false;
            }
            for (int i = held; i < held + n; i++) {
                buffer[i] = Folding.fold(buffer[i]);
            }
            int total = held + n;
            if (indexOf(buffer, total, folded)) {
                return true;
            }
            held = Math.min(keep, total);
            System.arraycopy(buffer, total - held, buffer, 0, held);
        }
    }

    private static boolean indexOf(char[] text, int length, String needle) {
        int last = length - needle.length();
        char first = needle.charAt(0);
        for (int i = 0; i <= last; i++) {
            if (text[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length() && text[i + j] == needle.charAt(j)) {
                j++;
            }
            if (j == needle.length()) {
                return true;
            }
        }
        return false;
    }
}
