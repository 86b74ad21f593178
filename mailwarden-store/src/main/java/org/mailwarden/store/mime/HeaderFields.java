package org.mailwarden.store.mime;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The header fields of one header block that a {@link MessageStructure} records (ENVELOPE and the
 * Content-* fields of BODYSTRUCTURE): the first occurrence of each, unfolded, with the value as written
 * (leading and trailing white space removed, encoded-words kept). Every other field is recognised by its
 * name and dropped without being decoded, since nothing asks for it. Raw 8-bit values are read as UTF-8
 * when they are valid UTF-8 and as ISO-8859-1 otherwise, so no octet is silently lost.
 */
public final class HeaderFields {

    static final int FROM = 0;
    static final int SENDER = 1;
    static final int REPLY_TO = 2;
    static final int TO = 3;
    static final int CC = 4;
    static final int BCC = 5;
    static final int DATE = 6;
    static final int SUBJECT = 7;
    static final int IN_REPLY_TO = 8;
    static final int MESSAGE_ID = 9;
    static final int CONTENT_TYPE = 10;
    static final int CONTENT_TRANSFER_ENCODING = 11;
    static final int CONTENT_ID = 12;
    static final int CONTENT_DESCRIPTION = 13;
    static final int CONTENT_MD5 = 14;
    static final int CONTENT_DISPOSITION = 15;
    static final int CONTENT_LANGUAGE = 16;
    static final int CONTENT_LOCATION = 17;

    /** The recorded names, indexed by the constants above, in lower case. */
    private static final byte[][] NAMES = names("from", "sender", "reply-to", "to", "cc", "bcc", "date", "subject",
            "in-reply-to", "message-id", "content-type", "content-transfer-encoding", "content-id",
            "content-description", "content-md5", "content-disposition", "content-language", "content-location");

    private final String[] first = new String[NAMES.length];

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    /**
     * Takes the field whose raw, possibly folded bytes (without the final line break) are given, when it is
     * the first one of a recorded name. The name is what precedes the first colon, without surrounding
     * white space; a field without a name or with a control, space or 8-bit octet in it is ignored.
     */
    void addRaw(byte[] raw, int length) {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (raw[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return;
        }
        int from = 0;
        int to = colon;
        while (from < to && whitespace(raw[from])) {
            from++;
        }
        while (to > from && whitespace(raw[to - 1])) {
            to--;
        }
        int field = recorded(raw, from, to);
        if (field < 0 || first[field] != null) {
            return;
        }
        byte[] value = new byte[length - colon - 1];
        int n = 0;
        for (int i = colon + 1; i < length; i++) {
            byte b = raw[i];
            if (b != '\r' && b != '\n') {
                value[n++] = b;
            }
        }
        first[field] = text(value, n).strip();
    }

    /** What {@link String#strip()} removes from text read as ISO-8859-1. */
    private static boolean whitespace(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    }

    /** The index of the recorded name {@code raw[from, to)} is (ASCII, case-insensitive), or -1. */
    private static int recorded(byte[] raw, int from, int to) {
        int length = to - from;
        for (int f = 0; f < NAMES.length; f++) {
            byte[] name = NAMES[f];
            if (name.length != length) {
                continue;
            }
            int i = 0;
            while (i < length && lower(raw[from + i]) == name[i]) {
                i++;
            }
            if (i == length) {
                return f;
            }
        }
        return -1;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** Decodes header octets: UTF-8 when valid, else ISO-8859-1. */
    public static String text(byte[] bytes, int length) {
        int i = 0;
        while (i < length && bytes[i] >= 0) {
            i++;
        }
        if (i == length) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** The first value of recorded field {@code field} (one of this class's constants), or null. */
    String first(int field) {
        return first[field];
    }
}
