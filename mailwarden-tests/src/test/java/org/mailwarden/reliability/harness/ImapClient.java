package org.mailwarden.reliability.harness;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A small IMAP client for whole-server tests over implicit TLS (imaps): tagged commands with their
 * untagged responses, APPEND with a synchronizing literal, from any 127.x.y.z address. It trusts the
 * test server's self-signed certificate. Response lines that announce a literal are not expected here
 * (the commands it sends do not fetch message data).
 */
public final class ImapClient implements Closeable {

    /** The tagged completion of a command and the untagged lines before it. */
    public record Response(String tagged, List<String> untagged) {
        public boolean ok() {
            return tagged.startsWith("OK");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tags;

    private ImapClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects over implicit TLS from {@code from} and reads the greeting, which must be {@code * OK}. */
    public static ImapClient openTls(InetSocketAddress server, InetAddress from) throws IOException {
        Socket plain = new Socket();
        try {
            plain.bind(new InetSocketAddress(from, 0));
            plain.connect(server, 30_000);
            plain.setSoTimeout(60_000);
            SSLSocket ssl = (SSLSocket) SmtpClient.trustAll().getSocketFactory()
                    .createSocket(plain, server.getHostString(), server.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            ImapClient c = new ImapClient(ssl);
            String greeting = c.line();
            if (!greeting.startsWith("* OK")) {
                c.close();
                throw new IOException("no * OK greeting: " + greeting);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends {@code command} with a fresh tag and reads up to its tagged completion. */
    public Response command(String command) throws IOException {
        String tag = "t" + (++tags);
        send(tag + " " + command + "\r\n");
        return response(tag);
    }

    /** APPEND with a synchronizing literal: waits for the server's go-ahead before sending the message. */
    public Response append(String mailbox, byte[] message) throws IOException {
        String tag = "t" + (++tags);
        send(tag + " APPEND " + quote(mailbox) + " {" + message.length + "}\r\n");
        String go = line();
        if (!go.startsWith("+")) {
            return new Response(go.startsWith(tag + " ") ? go.substring(tag.length() + 1) : go, List.of());
        }
        out.write(message);
        send("\r\n");
        return response(tag);
    }

    /** The UIDs that {@code UID SEARCH} returns for a criterion. */
    public List<Long> uidSearch(String criteria) throws IOException {
        Response r = command("UID SEARCH " + criteria);
        List<Long> uids = new ArrayList<>();
        if (!r.ok()) {
            throw new IOException("UID SEARCH failed: " + r.tagged());
        }
        for (String u : r.untagged()) {
            if (u.startsWith("* SEARCH")) {
                for (String n : u.substring(8).strip().split(" +")) {
                    if (!n.isEmpty()) {
                        uids.add(Long.parseLong(n));
                    }
                }
            }
        }
        return uids;
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Response response(String tag) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String line = line();
            if (line.startsWith(tag + " ")) {
                return new Response(line.substring(tag.length() + 1), List.copyOf(untagged));
            }
            untagged.add(line);
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            b.append((char) c);
        }
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
