package org.mailwarden.pop3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes POP3 responses: single-line {@code +OK} and {@code -ERR [CODE]} replies and the lines of a
 * multi-line response with its terminating dot. Texts come from the server, never from client input, so
 * they carry no line breaks; the output is buffered and the session decides when to flush. It counts the
 * {@code -ERR} replies, which bounds how long a misbehaving client may go on.
 */
final class Pop3Output {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private final OutputStream out;
    private int errors;

    Pop3Output(OutputStream out) {
        this.out = out;
    }

    void ok(String text) throws IOException {
        line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    void err(String text) throws IOException {
        errors++;
        line("-ERR " + text);
    }

    void err(ResponseCode code, String text) throws IOException {
        errors++;
        line("-ERR [" + code.text() + "] " + text);
    }

    /** How many {@code -ERR} replies were sent. */
    int errors() {
        return errors;
    }

    /** One line of a multi-line response; server-made lines never start with a dot. */
    void line(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    /** The end of a multi-line response whose last line ended with CRLF. */
    void end() throws IOException {
        out.write(END);
    }

    /** The raw stream, for message bodies. */
    OutputStream stream() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }
}
