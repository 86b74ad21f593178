package org.mailwarden.bench.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal SMTP client for load generation: greeting, EHLO, STARTTLS, one transaction at a time, QUIT.
 * Multi-line replies are read to their last line; any unexpected reply code raises a
 * {@link ProtocolException} quoting the server.
 */
public final class SmtpClient implements AutoCloseable {

    /** A reply: its code and its last line. */
    public record Reply(int code, String text) {
    }

    private final LineConnection connection;
    private final String greeting;

    private SmtpClient(LineConnection connection, String greeting) {
        this.connection = connection;
        this.greeting = greeting;
    }

    /** Connects and reads the greeting; a greeting other than 220 is an error that quotes it. */
    public static SmtpClient connect(String host, int port, int timeoutMillis) throws IOException {
        LineConnection c = LineConnection.open(host, port, timeoutMillis);
        try {
            SmtpClient client = new SmtpClient(c, null);
            Reply greeting = client.reply();
            if (greeting.code() != 220) {
                throw new ProtocolException("greeting: " + greeting.code() + " " + greeting.text());
            }
            return new SmtpClient(c, greeting.text());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String greeting() {
        return greeting;
    }

    /** EHLO; returns the extension keywords (upper case, first word of each line). */
    public List<String> ehlo(String name) throws IOException {
        connection.writeLine("EHLO " + name);
        List<String> extensions = new ArrayList<>();
        while (true) {
            String line = connection.readLine();
            int code = code(line);
            if (code != 250) {
                throw new ProtocolException("EHLO: " + line);
            }
            if (line.length() > 4) {
                extensions.add(line.substring(4).split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT));
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return extensions;
            }
        }
    }

    /** STARTTLS and the handshake; EHLO must be sent again afterwards. */
    public void startTls() throws IOException {
        expect("STARTTLS", 220);
        connection.startTls();
    }

    /**
     * One transaction; returns the reply to the end of data (250 when accepted). A refused sender or
     * recipient raises a {@link ProtocolException}: the benchmark only sends mail that must be accepted.
     */
    public Reply send(String from, List<String> recipients, byte[] message) throws IOException {
        expect("MAIL FROM:<" + from + ">", 250);
        for (String rcpt : recipients) {
            expect("RCPT TO:<" + rcpt + ">", 250);
        }
        expect("DATA", 354);
        connection.write(dotStuffed(message));
        return reply();
    }

    public void quit() throws IOException {
        connection.writeLine("QUIT");
        reply();
    }

    private void expect(String command, int code) throws IOException {
        connection.writeLine(command);
        Reply r = reply();
        if (r.code() != code) {
            throw new ProtocolException(command.split(":", 2)[0] + ": " + r.code() + " " + r.text());
        }
    }

    /** Reads a (possibly multi-line) reply. */
    public Reply reply() throws IOException {
        while (true) {
            String line = connection.readLine();
            int code = code(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Reply(code, line.length() > 4 ? line.substring(4) : "");
            }
        }
    }

    private static int code(String line) throws ProtocolException {
        if (line.length() < 3) {
            throw new ProtocolException("not an SMTP reply: " + line);
        }
        try {
            return Integer.parseInt(line.substring(0, 3));
        } catch (NumberFormatException e) {
            throw new ProtocolException("not an SMTP reply: " + line);
        }
    }

    /** The message with leading dots doubled and the terminating CRLF.CRLF appended. */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public void close() {
        connection.close();
    }
}
