package org.mailwarden.smtp.outbound;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.core.net.TlsPolicy;

/**
 * The client side of one SMTP connection on the wire: command lines out, replies in, each read bounded by
 * its timeout and each flush by a {@link WriteWatchdog}; the STARTTLS upgrade; the body as dot-stuffed DATA.
 * It knows nothing of the order of commands; {@link HopSession} does.
 */
final class SmtpClient implements Closeable {

    private static final int BODY_BUFFER = 64 * 1024;

    private final NextHop hop;
    private Socket socket;
    private OutputStream out;
    private ReplyReader replies;
    private TlsState tls;

    /** The negotiated TLS session, for the log: protocol, suite, and whether the certificate was verified. */
    record TlsState(String protocol, String cipherSuite, boolean verified) {
        @Override
        public String toString() {
            return protocol + " " + cipherSuite + (verified ? " verified" : " unverified");
        }
    }

    private SmtpClient(NextHop hop, Socket socket) throws IOException {
        this.hop = hop;
        attach(socket);
    }

    static SmtpClient connect(NextHop hop, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(hop.address(), hop.port()), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new SmtpClient(hop, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.out = new BufferedOutputStream(s.getOutputStream(), 8192);
        this.replies = new ReplyReader(s.getInputStream());
    }

    NextHop hop() {
        return hop;
    }

    /** The TLS state, or null before STARTTLS. */
    TlsState tls() {
        return tls;
    }

    /** Reads one reply, waiting at most {@code timeout}. */
    ServerReply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            return replies.read();
        } catch (SocketTimeoutException e) {
            throw new SmtpProtocolException("no reply within " + timeout.toSeconds() + " s");
        }
    }

    /** Queues a command line for sending (with CRLF); {@link #flush} sends it. */
    void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a command line must not contain CR or LF");
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush(Duration timeout) throws IOException {
        try (WriteWatchdog.Armed watch = WriteWatchdog.arm(socket, timeout)) {
            out.flush();
            watch.progress();
        }
    }

    /** Sends one command and reads its reply. */
    ServerReply command(String line, Duration timeout) throws IOException {
        send(line);
        flush(timeout);
        return read(timeout);
    }

    /** Whether the server sent something not yet read: after a lockstep command, a server talking out of turn. */
    boolean hasUnreadInput() {
        return replies.buffered() > 0;
    }

    /**
     * Switches the connection to TLS after a 220 reply to STARTTLS. With {@code verify}, the handshake
     * fails unless the certificate chain is trusted by {@code context} and names {@code hop.host()}.
     */
    void startTls(SSLContext context, boolean verify, Duration timeout) throws IOException {
        if (hasUnreadInput()) {
            // Anything sent before the handshake could be injected by a man in the middle (CVE-2011-0411 family).
            throw new SmtpProtocolException("the server sent data after its reply to STARTTLS");
        }
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, hop.host(), hop.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
        if (verify) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!hop.host().equals(IpAddresses.toText(hop.address()))) {
            try {
                p.setServerNames(List.of(new SNIHostName(hop.host())));
            } catch (IllegalArgumentException notAHostName) {
                // An odd route name is still usable without SNI.
            }
        }
        ssl.setSSLParameters(p);
        ssl.setSoTimeout((int) timeout.toMillis());
        try (WriteWatchdog.Armed watch = WriteWatchdog.arm(ssl, timeout)) {
            ssl.startHandshake();
            watch.progress();
        } catch (IOException e) {
            ssl.close();
            throw e;
        }
        SSLSession session = ssl.getSession();
        attach(ssl);
        // With verify, a handshake that completed has checked the chain and the name.
        tls = new TlsState(session.getProtocol(), session.getCipherSuite(), verify);
    }

    /**
     * Sends the body as DATA: dot-stuffed, CRLF line ends, ending with the dot line. Each block must be
     * taken by the server within {@code blockTimeout}.
     */
    void sendBody(InputStream body, Duration blockTimeout) throws IOException {
        try (WriteWatchdog.Armed watch = WriteWatchdog.arm(socket, blockTimeout)) {
            DotStuffer data = new DotStuffer(out);
            byte[] buffer = new byte[BODY_BUFFER];
            int n;
            while ((n = body.read(buffer)) > 0) {
                data.write(buffer, 0, n);
                watch.progress();
            }
            data.finish();
            out.flush();
            watch.progress();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do with a connection that will not close cleanly.
        }
    }
}
