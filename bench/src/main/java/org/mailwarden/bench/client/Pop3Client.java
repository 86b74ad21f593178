package org.mailwarden.bench.client;

import java.io.IOException;

/**
 * A minimal POP3 client for load generation: USER/PASS, STAT, RETR (multi-line, dot-unstuffing not
 * needed because the benchmark only counts the bytes), QUIT. A {@code -ERR} raises a
 * {@link ProtocolException} quoting the server.
 */
public final class Pop3Client implements AutoCloseable {

    /** Message count and total size from STAT. */
    public record Stat(int messages, long octets) {
    }

    private final LineConnection connection;

    private Pop3Client(LineConnection connection) {
        this.connection = connection;
    }

    /** Connects and reads the greeting; a {@code -ERR} greeting is an error quoting it. */
    public static Pop3Client connect(String host, int port, int timeoutMillis) throws IOException {
        return connect(host, port, timeoutMillis, false);
    }

    /** As {@link #connect(String, int, int)}, over implicit TLS (POP3S) when {@code implicitTls}. */
    public static Pop3Client connect(String host, int port, int timeoutMillis, boolean implicitTls) throws IOException {
        LineConnection c = LineConnection.open(host, port, timeoutMillis);
        try {
            if (implicitTls) {
                c.startTls();
            }
            String greeting = c.readLine();
            if (!greeting.startsWith("+OK")) {
                throw new ProtocolException("greeting: " + greeting);
            }
            return new Pop3Client(c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public void login(String user, String password) throws IOException {
        ok("USER " + user);
        ok("PASS " + password);
    }

    public Stat stat() throws IOException {
        String[] parts = ok("STAT").split(" ");
        try {
            return new Stat(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        } catch (RuntimeException e) {
            throw new ProtocolException("STAT: unexpected reply +OK" + String.join(" ", parts));
        }
    }

    /** RETR; returns the number of bytes in the message lines (without the terminating dot line). */
    public long retr(int message) throws IOException {
        ok("RETR " + message);
        return body();
    }

    /**
     * RETR of messages 1 to {@code count} with every command sent at once (RFC 2449 PIPELINING), then
     * the responses read in order; returns the bytes of all message lines.
     */
    public long retrPipelined(int count) throws IOException {
        StringBuilder commands = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            commands.append("RETR ").append(i).append("\r\n");
        }
        connection.write(commands.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long bytes = 0;
        for (int i = 1; i <= count; i++) {
            String reply = connection.readLine();
            if (!reply.startsWith("+OK")) {
                throw new ProtocolException("RETR " + i + ": " + reply);
            }
            bytes += body();
        }
        return bytes;
    }

    private long body() throws IOException {
        long before = connection.bytesRead();
        while (true) {
            String line = connection.readLine();
            if (line.equals(".")) {
                return connection.bytesRead() - before - 3;
            }
        }
    }

    public void quit() throws IOException {
        ok("QUIT");
    }

    private String ok(String command) throws IOException {
        connection.writeLine(command);
        String reply = connection.readLine();
        if (!reply.startsWith("+OK")) {
            String verb = command.split(" ", 2)[0];
            throw new ProtocolException(verb + ": " + reply);
        }
        return reply;
    }

    @Override
    public void close() {
        connection.close();
    }
}
