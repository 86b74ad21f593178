package org.mailwarden.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;

/**
 * A small SMTP server for tests, on 127.0.0.1 and a free port: it speaks enough ESMTP for a client
 * (EHLO/HELO, STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), records every message
 * it accepts byte for byte, and answers as a test's {@link Responder} says, including dropping the
 * connection or never answering.
 */
final class SmtpSink implements AutoCloseable {

    /** A message the sink accepted (its 250 after the final dot was sent). */
    record Received(int connection, String mailFrom, List<String> rcptTo, byte[] data, boolean tls, String authUser,
                    String authPassword) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Overrides the default reply to a command; return null for the default, DROP to hang up, STALL to go silent. */
    @FunctionalInterface
    interface Responder {
        String reply(String verb, String argument);
    }

    static final String DROP = "DROP";
    static final String STALL = "STALL";

    /** How the sink behaves; change before {@link #start}. */
    static final class Config {
        List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "DSN", "SIZE 10000000",
                "ENHANCEDSTATUSCODES"));
        SSLContext tls;
        /** Offers STARTTLS but answers the handshake with plain text. */
        boolean brokenTls;
        boolean requireAuth;
        boolean ehlo = true;
        Responder responder = (verb, argument) -> null;
        /** Writes every reply one byte at a time, flushing each. */
        boolean trickle;
        InetAddress address = InetAddress.getLoopbackAddress();
        int port;
    }

    private final Config config;
    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SmtpSink(Config config) throws IOException {
        this.config = config;
        this.server = new ServerSocket(config.port, 50, config.address);
        this.acceptor = Thread.ofPlatform().daemon().name("smtp-sink").start(this::acceptLoop);
    }

    static SmtpSink start(Config config) throws IOException {
        return new SmtpSink(config);
    }

    static SmtpSink start() throws IOException {
        return new SmtpSink(new Config());
    }

    int port() {
        return server.getLocalPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Every command line received, prefixed with the connection number: {@code "1 MAIL FROM:<a@b>"}. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int number = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try {
            new Session(socket, number).run();
        } catch (IOException e) {
            // The client hung up or the test closed the sink.
        } finally {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** One connection's state. */
    private final class Session {
        private final int number;
        private Socket socket;
        private LineReader in;
        private OutputStream out;
        private boolean tls;
        private String authUser;
        private String authPassword;
        private String mailFrom;
        private final List<String> rcpts = new ArrayList<>();

        Session(Socket socket, int number) throws IOException {
            this.number = number;
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new LineReader(s.getInputStream(), 100_000);
            out = s.getOutputStream();
        }

        void run() throws IOException {
            if (!reply("CONNECT", "", "220 sink.test ESMTP test sink")) {
                return;
            }
            while (true) {
                Line line = in.readLine();
                if (line.isEof()) {
                    return;
                }
                String text = line.utf8();
                commands.add(number + " " + text);
                int space = text.indexOf(' ');
                String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
                String arg = space < 0 ? "" : text.substring(space + 1);
                if (verb.equals("MAIL") || verb.equals("RCPT")) {
                    arg = text.substring(Math.min(text.length(), text.indexOf(':') + 1));
                }
                if (!command(verb, arg)) {
                    return;
                }
            }
        }

        /** Handles one command; false when the connection is over. */
        private boolean command(String verb, String arg) throws IOException {
            switch (verb) {
                case "EHLO" -> {
                    if (!config.ehlo) {
                        return reply(verb, arg, "502 5.5.1 EHLO not implemented");
                    }
                    List<String> ext = new ArrayList<>(config.extensions);
                    if ((config.tls != null || config.brokenTls) && !tls) {
                        ext.add("STARTTLS");
                    }
                    if (config.requireAuth) {
                        ext.add("AUTH PLAIN LOGIN");
                    }
                    StringBuilder b = new StringBuilder(ext.isEmpty() ? "250 sink.test" : "250-sink.test");
                    for (int i = 0; i < ext.size(); i++) {
                        b.append("\r\n250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i));
                    }
                    return reply(verb, arg, b.toString());
                }
                case "HELO" -> {
                    return reply(verb, arg, "250 sink.test");
                }
                case "STARTTLS" -> {
                    if (config.brokenTls) {
                        send("220 2.0.0 go ahead");
                        // Wait for the client's hello, then answer it with plain text.
                        socket.getInputStream().read(new byte[4096]);
                        send("this is not a TLS handshake");
                        return false;
                    }
                    if (config.tls == null || tls) {
                        return reply(verb, arg, "502 5.5.1 no TLS here");
                    }
                    if (!reply(verb, arg, "220 2.0.0 go ahead")) {
                        return false;
                    }
                    SSLSocket ssl = (SSLSocket) config.tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    attach(ssl);
                    tls = true;
                    return true;
                }
                case "AUTH" -> {
                    return auth(arg);
                }
                case "MAIL" -> {
                    if (config.requireAuth && authUser == null) {
                        return reply(verb, arg, "530 5.7.0 authentication required");
                    }
                    mailFrom = arg;
                    rcpts.clear();
                    return reply(verb, arg, "250 2.1.0 ok");
                }
                case "RCPT" -> {
                    String r = config.responder.reply(verb, arg);
                    if (r == null || r.startsWith("2")) {
                        rcpts.add(arg);
                    }
                    return send(r != null ? r : "250 2.1.5 ok");
                }
                case "DATA" -> {
                    return data(arg);
                }
                case "RSET" -> {
                    mailFrom = null;
                    rcpts.clear();
                    return reply(verb, arg, "250 2.0.0 ok");
                }
                case "NOOP" -> {
                    return reply(verb, arg, "250 2.0.0 ok");
                }
                case "QUIT" -> {
                    reply(verb, arg, "221 2.0.0 bye");
                    return false;
                }
                default -> {
                    return reply(verb, arg, "500 5.5.2 unknown command");
                }
            }
        }

        private boolean auth(String arg) throws IOException {
            String[] words = arg.split(" ");
            String user;
            String password;
            if (words[0].equalsIgnoreCase("PLAIN") && words.length == 2) {
                String[] parts = new String(Base64.getDecoder().decode(words[1]), StandardCharsets.UTF_8).split("\0", -1);
                user = parts[1];
                password = parts[2];
            } else if (words[0].equalsIgnoreCase("LOGIN")) {
                send("334 VXNlcm5hbWU6");
                user = decode(in.readLine());
                send("334 UGFzc3dvcmQ6");
                password = decode(in.readLine());
            } else {
                return send("504 5.5.4 unknown mechanism");
            }
            String r = config.responder.reply("AUTH", user + ":" + password);
            if (r != null) {
                return send(r);
            }
            authUser = user;
            authPassword = password;
            return send("235 2.7.0 authenticated");
        }

        private String decode(Line line) {
            return new String(Base64.getDecoder().decode(line.ascii()), StandardCharsets.UTF_8);
        }

        private boolean data(String arg) throws IOException {
            String r = config.responder.reply("DATA", arg);
            if (r != null && !r.startsWith("354")) {
                return send(r);
            }
            if (mailFrom == null || rcpts.isEmpty()) {
                return send("503 5.5.1 no valid recipients");
            }
            if (!send(r != null ? r : "354 end with <CRLF>.<CRLF>")) {
                return false;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                Line line = in.readLine();
                if (line.isEof()) {
                    return false;
                }
                byte[] bytes = line.bytes();
                if (line.ending() == Line.Ending.CRLF && bytes.length == 1 && bytes[0] == '.') {
                    break;
                }
                int from = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
                body.write(bytes, from, bytes.length - from);
                if (line.ending() != Line.Ending.TOO_LONG) {
                    body.write(line.ending() == Line.Ending.LF ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
                }
            }
            String end = config.responder.reply("DOT", mailFrom);
            if (end == null || end.startsWith("2")) {
                received.add(new Received(number, mailFrom, List.copyOf(rcpts), body.toByteArray(), tls, authUser, authPassword));
            }
            mailFrom = null;
            rcpts.clear();
            return send(end != null ? end : "250 2.0.0 queued as SINK" + received.size());
        }

        private boolean reply(String verb, String arg, String fallback) throws IOException {
            String r = config.responder.reply(verb, arg);
            return send(r != null ? r : fallback);
        }

        /** Sends a reply (lines separated by CRLF); false after DROP, and STALL never returns until the socket closes. */
        private boolean send(String reply) throws IOException {
            if (reply.equals(DROP)) {
                return false;
            }
            if (reply.equals(STALL)) {
                while (!in.readLine().isEof()) {
                    // Say nothing; wait for the client to give up.
                }
                return false;
            }
            byte[] bytes = (reply + "\r\n").getBytes(StandardCharsets.UTF_8);
            if (config.trickle) {
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                }
            } else {
                out.write(bytes);
                out.flush();
            }
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
