package org.mailwarden.core.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The protocol-level framing shared by SMTP {@code AUTH}, IMAP {@code AUTHENTICATE} and POP3 {@code AUTH}:
 * base64 in both directions, {@code *} to cancel, and {@code =} for an empty initial response (RFC 4954,
 * RFC 4959). Decoding is strict and bounded.
 */
public final class SaslCodec {

    /** The largest decoded client response accepted. */
    public static final int MAX_RESPONSE_BYTES = 8192;

    private SaslCodec() {
    }

    /** Whether the client's line cancels the exchange. */
    public static boolean isCancel(String line) {
        return "*".equals(line);
    }

    /**
     * Decodes a client response line.
     *
     * @throws IllegalArgumentException when it is not base64 or decodes to more than {@link #MAX_RESPONSE_BYTES}
     */
    public static byte[] decodeResponse(String line) {
        if (line.length() > (MAX_RESPONSE_BYTES + 2) / 3 * 4) {
            throw new IllegalArgumentException("response too long");
        }
        if (line.length() % 4 != 0) {
            throw new IllegalArgumentException("not base64");
        }
        return Base64.getDecoder().decode(line);
    }

    /**
     * Decodes the initial response given with the command: {@code =} is an empty response, otherwise base64.
     *
     * @throws IllegalArgumentException when malformed
     */
    public static byte[] decodeInitialResponse(String argument) {
        return "=".equals(argument) ? new byte[0] : decodeResponse(argument);
    }

    /** Encodes a challenge (an empty challenge is the empty string). */
    public static String encode(byte[] challenge) {
        return Base64.getEncoder().encodeToString(challenge);
    }

    /** Strict UTF-8 decoding for mechanism fields; malformed bytes are an error, never replaced. */
    static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
