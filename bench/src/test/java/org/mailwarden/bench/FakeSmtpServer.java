package org.mailwarden.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mailwarden.bench.servers.Endpoint;

/**
 * A tiny SMTP server for the harness's smoke tests: answers every step of a plain transaction, keeps
 * each message (dot-unstuffed), or greets with a fixed line and hangs up (to stand for a service that is
 * not available yet). Binds 127.0.0.1 on a free port.
 */
final class FakeSmtpServer implements AutoCloseable {

    final List<String> messages = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final String refusal;

    FakeSmtpServer(String refusal) throws IOException {
        this.refusal = refusal;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    Endpoint endpoint() {
        return new Endpoint("127.0.0.1", socket.getLocalPort());
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = s.getOutputStream()) {
            if (refusal != null) {
                send(out, refusal);
                return;
            }
            send(out, "220 fake ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.split("[ :]", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> send(out, "250-fake\r\n250 PIPELINING");
                    case "DATA" -> {
                        send(out, "354 go ahead");
                        StringBuilder m = new StringBuilder();
                        while (!(line = in.readLine()).equals(".")) {
                            m.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
                        }
                        messages.add(m.toString());
                        send(out, "250 2.0.0 queued");
                    }
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, "250 ok");
                }
            }
        } catch (IOException | NullPointerException e) {
            // the client went away: nothing to serve
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
