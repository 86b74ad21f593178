package org.mailwarden.admin.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mailwarden.admin.AdminException;

/**
 * Reads a password for {@code --password-stdin}: the first line of standard input, without its line end,
 * in UTF-8, at most {@value #MAX_BYTES} bytes. Nothing after the first line is read.
 */
final class PasswordInput {

    static final int MAX_BYTES = 1024;

    private PasswordInput() {
    }

    /** @param command the command as typed, for the example in the error message */
    static String readLine(InputStream in, String command) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (line.size() == MAX_BYTES) {
                    throw new AdminException("the password on stdin is longer than " + MAX_BYTES + " bytes");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new AdminException("cannot read the password from stdin: " + e.getMessage());
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (length == 0) {
            throw new AdminException("the password on stdin is empty; pipe one in, such as: echo 'secret' | mailwarden "
                    + command + " --password-stdin");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new AdminException("the password on stdin is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
