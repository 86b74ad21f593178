package org.mailwarden.reliability.harness;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal receiving SMTP server for outbound tests, living in the test JVM so that it survives when the
 * mail server under test is killed: it accepts every message (after an optional delay, so that a kill can
 * land mid-delivery) and counts, per Message-ID, how often each arrived.
 */
public final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final Duration delay;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Thread acceptor;

    private SmtpSink(ServerSocket server, Duration delay) {
        this.server = server;
        this.delay = delay;
        this.acceptor = Thread.ofPlatform().daemon().name("smtp-sink").start(this::acceptLoop);
    }

    /** Listens on a free port of 127.0.0.1; {@code delay} is waited before each 250 for a message. */
    public static SmtpSink start(Duration delay) throws IOException {
        return new SmtpSink(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()), delay);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How often each Message-ID arrived. */
    public Map<String, Integer> received() {
        Map<String, Integer> out = new java.util.HashMap<>();
        received.forEach((id, n) -> out.put(id, n.get()));
        return out;
    }

    /** The last copy of each message that arrived, as the sink stored it (dot-unstuffed). */
    public Map<String, byte[]> bodies() {
        return Map.copyOf(bodies);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.test ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 sink.test");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 ok");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        byte[] message = readData(in);
                        if (message == null) {
                            return;
                        }
                        Thread.sleep(delay);
                        // counted before the 250: from here on the sink has taken responsibility for it
                        String id = StoredMail.messageId(message);
                        bodies.put(id, message);
                        received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        reply(out, "250 2.0.0 received");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.1 not here");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the sender went away (killed): whatever it did not finish was not received
        }
    }

    /** The message up to the end-of-data line, dot-unstuffed; null when the connection ends first. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                return message.toByteArray();
            }
            message.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
            message.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            b.append((char) c);
        }
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
