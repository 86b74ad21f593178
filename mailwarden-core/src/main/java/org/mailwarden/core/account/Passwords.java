package org.mailwarden.core.account;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Password preparation shared by Argon2id hashing and SCRAM, so that the same password typed on two
 * keyboards or sent through two mechanisms gives the same bytes. It is the mapping and normalisation part
 * of SASLprep (RFC 4013): non-ASCII spaces become ASCII space, characters "commonly mapped to nothing" are
 * removed, then Unicode NFKC. For ASCII passwords it is the identity, as SCRAM clients expect.
 */
public final class Passwords {

    /** The longest password accepted, in characters; bounds the work a hostile client can request. */
    public static final int MAX_CHARS = 1024;

    private Passwords() {
    }

    /** The UTF-8 bytes to hash for {@code password}. */
    public static byte[] prepare(String password) {
        StringBuilder mapped = new StringBuilder(password.length());
        password.codePoints().forEach(cp -> {
            if (mappedToNothing(cp)) {
                return;
            }
            mapped.appendCodePoint(cp > 0x7f && Character.getType(cp) == Character.SPACE_SEPARATOR ? ' ' : cp);
        });
        return Normalizer.normalize(mapped, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks a new password as an administrator or user sets it.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validate(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (password.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the password is longer than " + MAX_CHARS + " characters");
        }
        if (password.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE)) {
            throw new IllegalArgumentException("the password contains a control character (a line break or tab?); "
                    + "with --password-stdin, only the first line is used");
        }
    }

    /** RFC 3454 table B.1. */
    private static boolean mappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D) || (cp >= 0x200B && cp <= 0x200D)
                || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }
}
