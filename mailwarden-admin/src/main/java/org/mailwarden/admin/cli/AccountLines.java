package org.mailwarden.admin.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mailwarden.admin.AdminException;

/**
 * Reads the accounts for {@code user import --stdin}: one {@code ADDRESS PASSWORD} line each, the address
 * up to the first space and the password from after it to the end of the line (so a password may contain
 * spaces), in UTF-8. Blank lines and lines starting with {@code #} are skipped. The whole input is read and
 * checked before anything is added, so a mistake on line 7 adds nobody; lines are bounded like
 * {@code --password-stdin}'s password ({@value #MAX_LINE_BYTES} bytes) and so is their number
 * ({@value #MAX_ACCOUNTS}).
 */
final class AccountLines {

    /** One account to add, with the line it came from (for the error message). */
    record Entry(int line, String address, String password) {
        @Override
        public String toString() {
            return "line " + line + " (" + address + ")";
        }
    }

    static final int MAX_LINE_BYTES = 2048;
    static final int MAX_ACCOUNTS = 10_000;
    private static final String EXAMPLE = "such as: printf 'alice@example.test secret\\n' | mailwarden user import --stdin";

    private AccountLines() {
    }

    static List<Entry> read(InputStream in) {
        List<Entry> entries = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int number = 1;
        try {
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0 || b == '\n') {
                    parse(line.toByteArray(), number, entries);
                    line.reset();
                    if (b < 0) {
                        break;
                    }
                    number++;
                } else if (line.size() == MAX_LINE_BYTES) {
                    throw new AdminException("line " + number + " on stdin is longer than " + MAX_LINE_BYTES + " bytes");
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new AdminException("cannot read the accounts from stdin: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new AdminException("no accounts on stdin; give one 'ADDRESS PASSWORD' line each, " + EXAMPLE);
        }
        return entries;
    }

    private static void parse(byte[] bytes, int number, List<Entry> entries) {
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new AdminException("line " + number + " on stdin is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (text.isBlank() || text.startsWith("#")) {
            return;
        }
        int space = text.indexOf(' ');
        if (space <= 0 || space == text.length() - 1) {
            // The line is not echoed: it may be a password alone.
            throw new AdminException("line " + number + " on stdin is not 'ADDRESS PASSWORD' (one space between), "
                    + EXAMPLE);
        }
        if (entries.size() == MAX_ACCOUNTS) {
            throw new AdminException("more than " + MAX_ACCOUNTS + " accounts on stdin; split the list");
        }
        entries.add(new Entry(number, text.substring(0, space), text.substring(space + 1)));
    }
}
