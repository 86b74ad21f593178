package org.mailwarden.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A next hop on loopback for serve tests: a plain SMTP server that answers RCPT as the test's function says
 * (null for 250) and records the recipients of every message it accepts.
 */
final class ScriptedHop implements AutoCloseable {

    private final ServerSocket server;
    private final Function<String, String> rcptReply;
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    ScriptedHop(Function<String, String> rcptReply) throws IOException {
        this.rcptReply = rcptReply;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    converse(s);
                } catch (IOException e) {
                    // next connection, or the test is over
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** The recipients ({@code <a@b>}) of the messages accepted so far. */
    List<String> delivered() {
        return List.copyOf(delivered);
    }

    private void converse(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        say(out, "220 hop.test ESMTP");
        List<String> accepted = new java.util.ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
            switch (verb) {
                case "EHLO" -> say(out, "250-hop.test\r\n250 8BITMIME");
                case "MAIL" -> {
                    accepted.clear();
                    say(out, "250 2.1.0 ok");
                }
                case "RCPT" -> {
                    String rcpt = line.substring(line.indexOf(':') + 1).strip();
                    String reply = rcptReply.apply(rcpt);
                    if (reply == null) {
                        accepted.add(rcpt);
                    }
                    say(out, reply == null ? "250 2.1.5 ok" : reply);
                }
                case "DATA" -> {
                    say(out, "354 go on");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the body
                    }
                    delivered.addAll(accepted);
                    say(out, "250 2.0.0 ok");
                }
                case "QUIT" -> {
                    say(out, "221 bye");
                    return;
                }
                default -> say(out, "250 ok");
            }
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
