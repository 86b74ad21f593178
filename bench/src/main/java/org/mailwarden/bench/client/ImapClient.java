package org.mailwarden.bench.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal IMAP4rev1 client for load generation. Commands are sent with generated tags and their
 * responses read up to the tagged completion; literals inside untagged responses are read and
 * discarded (their size is counted), so a FETCH of 10,000 envelopes or full bodies costs the client
 * almost nothing. A tagged NO or BAD raises a {@link ProtocolException}.
 */
public final class ImapClient implements AutoCloseable {

    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS$", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_MESSAGES = Pattern.compile("MESSAGES (\\d+)", Pattern.CASE_INSENSITIVE);

    /** How a command completed and what came with it. */
    public record Response(String status, String text, int untagged, long literalBytes) {
    }

    private final LineConnection connection;
    private int tagCounter;

    private ImapClient(LineConnection connection) {
        this.connection = connection;
    }

    /** Connects and reads the greeting; anything but {@code * OK} (a {@code * BYE}, say) is an error quoting it. */
    public static ImapClient connect(String host, int port, int timeoutMillis) throws IOException {
        LineConnection c = LineConnection.open(host, port, timeoutMillis);
        try {
            String greeting = c.readLine();
            if (!greeting.regionMatches(true, 0, "* OK", 0, 4)) {
                throw new ProtocolException("greeting: " + greeting);
            }
            return new ImapClient(c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public void login(String user, String password) throws IOException {
        command("LOGIN " + quote(user) + " " + quote(password));
    }

    /** SELECT; returns the number of messages (EXISTS). */
    public int select(String mailbox) throws IOException {
        int[] exists = {-1};
        command("SELECT " + quote(mailbox), line -> {
            Matcher m = EXISTS.matcher(line);
            if (m.matches()) {
                exists[0] = Integer.parseInt(m.group(1));
            }
        });
        return exists[0];
    }

    /** STATUS mailbox (MESSAGES). */
    public int messages(String mailbox) throws IOException {
        int[] count = {-1};
        command("STATUS " + quote(mailbox) + " (MESSAGES)", line -> {
            Matcher m = STATUS_MESSAGES.matcher(line);
            if (line.toUpperCase(Locale.ROOT).startsWith("* STATUS") && m.find()) {
                count[0] = Integer.parseInt(m.group(1));
            }
        });
        return count[0];
    }

    public Response command(String command) throws IOException {
        return command(command, line -> { });
    }

    /** Sends {@code command} and reads to its completion, passing each untagged line (literals removed) to {@code untagged}. */
    public Response command(String command, Consumer<String> untagged) throws IOException {
        String tag = nextTag();
        connection.writeLine(tag + " " + command);
        return complete(tag, command, untagged);
    }

    /** APPEND with a synchronising literal. */
    public Response append(String mailbox, String flags, byte[] message) throws IOException {
        String tag = nextTag();
        String command = "APPEND " + quote(mailbox) + (flags.isEmpty() ? "" : " (" + flags + ")") + " {" + message.length + "}";
        connection.writeLine(tag + " " + command);
        while (true) {
            String line = connection.readLine();
            if (line.startsWith("+")) {
                break;
            }
            if (line.startsWith(tag + " ")) {
                throw new ProtocolException("APPEND: " + line);
            }
        }
        connection.write(message);
        connection.writeLine("");
        return complete(tag, "APPEND", line -> { });
    }

    /** Starts IDLE and waits for the server's continuation. */
    public String idle() throws IOException {
        String tag = nextTag();
        connection.writeLine(tag + " IDLE");
        while (true) {
            String line = connection.readLine();
            if (line.startsWith("+")) {
                return tag;
            }
            if (line.startsWith(tag + " ")) {
                throw new ProtocolException("IDLE: " + line);
            }
        }
    }

    /**
     * During IDLE: waits up to {@code timeoutMillis} for an untagged line matching {@code wanted}; returns
     * false when the time ran out.
     */
    public boolean awaitUntagged(Predicate<String> wanted, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            connection.setTimeout((int) Math.max(1, left));
            try {
                if (wanted.test(connection.readLine())) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    /** Ends IDLE. */
    public void done(String idleTag, int timeoutMillis) throws IOException {
        connection.setTimeout(timeoutMillis);
        connection.writeLine("DONE");
        complete(idleTag, "IDLE", line -> { });
    }

    public void logout() throws IOException {
        String tag = nextTag();
        connection.writeLine(tag + " LOGOUT");
        complete(tag, "LOGOUT", line -> { });
    }

    /** The number of a {@code * N EXISTS} line, or -1. */
    public static int existsCount(String line) {
        Matcher m = EXISTS.matcher(line);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private Response complete(String tag, String command, Consumer<String> untagged) throws IOException {
        int count = 0;
        long literalBytes = 0;
        while (true) {
            String line = connection.readLine();
            if (line.startsWith(tag + " ")) {
                String rest = line.substring(tag.length() + 1);
                String status = rest.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (!status.equals("OK")) {
                    String verb = command.split(" ", 2)[0];
                    throw new ProtocolException(verb + ": " + rest);
                }
                return new Response(status, rest, count, literalBytes);
            }
            StringBuilder logical = new StringBuilder(line);
            Matcher m = LITERAL_AT_END.matcher(line);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                connection.skip(n);
                literalBytes += n;
                String next = connection.readLine();
                logical.append(' ').append(next);
                m = LITERAL_AT_END.matcher(next);
            }
            if (line.startsWith("*")) {
                count++;
                untagged.accept(logical.toString());
            }
        }
    }

    private String nextTag() {
        return "b" + (++tagCounter);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        connection.close();
    }
}
