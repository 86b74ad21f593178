package org.mailwarden.imap.search;

/**
 * Case folding for SEARCH's case-insensitive substring match: one char to one char (so offsets never
 * shift), lower case of upper case, which also folds the title-case and dotted forms most scripts use.
 */
final class Folding {

    private Folding() {
    }

    static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static String fold(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = fold(chars[i]);
        }
        return new String(chars);
    }
}
