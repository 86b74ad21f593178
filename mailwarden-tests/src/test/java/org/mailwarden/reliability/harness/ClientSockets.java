package org.mailwarden.reliability.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.mailwarden.core.testing.TestTls;

/**
 * The sockets the harness clients (SMTP, POP3, IMAP) talk through: connected from a chosen source address
 * (so floods can come from many clients), with connect and read timeouts, in plain text or TLS that trusts
 * the test server's self-signed certificate. A socket that fails half-way is closed before the error goes up.
 */
public final class ClientSockets {

    private ClientSockets() {
    }

    /**
     * A connected socket, bound to {@code from} when it is not null, TLS from the first byte when
     * {@code implicitTls}.
     */
    public static Socket open(InetSocketAddress server, InetAddress from, Duration connectTimeout,
                              Duration readTimeout, boolean implicitTls) throws IOException {
        Socket plain = new Socket();
        try {
            if (from != null) {
                plain.bind(new InetSocketAddress(from, 0));
            }
            plain.connect(server, Math.toIntExact(connectTimeout.toMillis()));
            plain.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            return implicitTls ? startTls(plain, server) : plain;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The client side of a TLS handshake over {@code plain} (implicit TLS, or after STARTTLS/STLS). */
    public static SSLSocket startTls(Socket plain, InetSocketAddress server) throws IOException {
        SSLSocket ssl = (SSLSocket) TestTls.trustAllClient().getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return ssl;
    }
}
