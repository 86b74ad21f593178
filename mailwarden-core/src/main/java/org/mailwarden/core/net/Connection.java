package org.mailwarden.core.net;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection as a protocol session sees it: who is talking, a {@link LineReader} and a buffered
 * output (nothing is sent until {@link OutputStream#flush()}), the TLS state and an in-place
 * {@link #startTls STARTTLS upgrade}. The reader and output stay the same objects across the upgrade, so a
 * session may keep references to them. Not thread-safe apart from {@link #close()}.
 */
public final class Connection implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final String id;
    private final String listenerName;
    private InetSocketAddress client;
    private InetSocketAddress local;
    private final Instant started = Instant.now();
    private final BooleanSupplier draining;
    private final Input input;
    private final Output output;
    private final LineReader reader;
    private final BufferedOutputStream buffered;
    private final Socket rawSocket;
    /** This session's turns with the others that keep the server busy; see {@link FairShare}. */
    private final FairShare share = FairShare.forConnection();
    private volatile Socket socket;
    private volatile Duration idleTimeout = Duration.ZERO;
    private volatile String abortReason;
    private TlsInfo tls;

    /** The negotiated TLS protocol and cipher suite. */
    public record TlsInfo(String protocol, String cipherSuite) {
        /** For Received headers and logs, e.g. {@code "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"}. */
        public String description() {
            return protocol + " with cipher " + cipherSuite;
        }
    }

    Connection(String id, String listenerName, Socket socket, int maxLineLength, BooleanSupplier draining)
            throws IOException {
        this.id = id;
        this.listenerName = listenerName;
        this.rawSocket = socket;
        this.socket = socket;
        this.client = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.draining = draining;
        // Replies are already gathered in the output buffer and sent at each flush, so Nagle's algorithm
        // only adds delay: after STARTTLS the TLS layer writes a session ticket on its own, and the next
        // reply then waits for the client's delayed ACK (40 ms on Linux) before it may leave.
        socket.setTcpNoDelay(true);
        this.input = new Input(socket.getInputStream());
        this.output = new Output(socket.getOutputStream(), share);
        this.reader = new LineReader(input, maxLineLength, share);
        this.buffered = new BufferedOutputStream(output, 16 * 1024);
    }

    /** Whether small writes leave at once (TCP_NODELAY); always true, for tests. */
    boolean sendsSmallWritesAtOnce() throws IOException {
        return rawSocket.getTcpNoDelay();
    }

    /** A short id unique within the process, for logs and Received headers. */
    public String id() {
        return id;
    }

    /** The listener's name, e.g. {@code "smtp"}. */
    public String listenerName() {
        return listenerName;
    }

    /** The client's address; behind a trusted proxy, the one it reported in its PROXY header. */
    public InetSocketAddress clientAddress() {
        return client;
    }

    /** The address the client connected to (relay rule "clients connecting to these internal addresses"). */
    public InetSocketAddress localAddress() {
        return local;
    }

    public Instant startedAt() {
        return started;
    }

    public LineReader reader() {
        return reader;
    }

    /** The output, buffered: call {@code flush()} after each reply or batch of replies. */
    public OutputStream output() {
        return buffered;
    }

    public boolean isTls() {
        return tls != null;
    }

    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /** Application bytes received so far (after TLS decryption). */
    public long bytesIn() {
        return input.count;
    }

    /** Application bytes sent so far (before TLS encryption). */
    public long bytesOut() {
        return output.count;
    }

    /**
     * Whether the server is shutting down: a session should end at the next command boundary, e.g. with
     * SMTP {@code 421 4.3.2 Service shutting down}.
     */
    public boolean isDraining() {
        return draining.getAsBoolean();
    }

    /**
     * How long a read may wait for the client before it throws {@link IdleTimeoutException}, and how long a
     * write may stay blocked on a client that does not read before the listener closes the connection;
     * zero is forever.
     */
    public void setIdleTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        this.idleTimeout = timeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Upgrades the connection to TLS in place, as STARTTLS/STLS do. Call it after sending the protocol's
     * "ready to start TLS" reply (this method flushes the output first, so the reply goes out in clear).
     *
     * <p>Every byte the client sent after the STARTTLS command that the server has already received is
     * discarded, never read as a command: a man in the middle could otherwise inject plaintext commands
     * that the server would execute inside the TLS session (CVE-2011-0411). Bytes still in flight become
     * garbage to the TLS handshake, which then fails.
     *
     * @return how many pipelined plaintext bytes were discarded (a well-behaved client sends none)
     * @throws javax.net.ssl.SSLException when the handshake fails; the connection is then unusable
     */
    public int startTls(SSLContext context) throws IOException {
        if (tls != null) {
            throw new IllegalStateException("TLS is already active on connection " + id);
        }
        buffered.flush();
        int discarded = reader.discardBuffered();
        if (discarded > 0) {
            log.warn("conn={} client={} discarded {} bytes sent in plaintext after STARTTLS (command injection"
                    + " attempt or broken client)", id, Listener.format(client), discarded);
        }
        Socket plain = socket;
        SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, client.getAddress().getHostAddress(), client.getPort(), true);
        TlsPolicy.apply(ssl);
        ssl.setSoTimeout(plain.getSoTimeout());
        socket = ssl;
        ssl.startHandshake();
        input.delegate = ssl.getInputStream();
        output.delegate = ssl.getOutputStream();
        SSLSession session = ssl.getSession();
        tls = new TlsInfo(session.getProtocol(), session.getCipherSuite());
        return discarded;
    }

    /** Closes the socket; a read blocked in another thread fails at once. Safe to call more than once. */
    @Override
    public void close() throws IOException {
        share.pause();
        socket.close();
    }

    /**
     * Closes the TCP socket under any TLS layer without a TLS close_notify, which could block on a client
     * that stopped reading; for forced shutdown from another thread.
     */
    void abort(String reason) {
        abortReason = reason;
        try {
            rawSocket.close();
        } catch (IOException e) {
            // closing a socket that is already broken: nothing left to do
        }
    }

    /** Takes the addresses a trusted proxy reported as this connection's own. */
    void useProxiedAddresses(InetSocketAddress source, InetSocketAddress destination) {
        this.client = source;
        this.local = destination;
    }

    /** Why the listener closed this connection from outside, or null. */
    String abortReason() {
        return abortReason;
    }

    /** Whether a write has been blocked for longer than the idle timeout at {@code nowNanos}. */
    boolean writeStalled(long nowNanos) {
        long since = output.writingSince;
        Duration timeout = idleTimeout;
        return since != 0 && !timeout.isZero() && nowNanos - since > timeout.toNanos();
    }

    /** Counts bytes read through whichever stream is current (plain, then TLS). */
    private static final class Input extends InputStream {
        private InputStream delegate;
        private long count;

        Input(InputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = delegate.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return delegate.available();
        }
    }

    /**
     * Counts bytes written through whichever stream is current (plain, then TLS), and notes when a write
     * started so that the listener can close a connection whose client stopped reading.
     */
    private static final class Output extends OutputStream {
        private OutputStream delegate;
        private final FairShare share;
        private long count;
        private volatile long writingSince;

        Output(OutputStream delegate, FairShare share) {
            this.delegate = delegate;
            this.share = share;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            share.pause();
            writingSince = System.nanoTime() | 1;
            try {
                delegate.write(b, off, len);
            } finally {
                writingSince = 0;
            }
            count += len;
        }

        @Override
        public void flush() throws IOException {
            share.pause();
            share.answered();
            writingSince = System.nanoTime() | 1;
            try {
                delegate.flush();
            } finally {
                writingSince = 0;
            }
        }
    }
}
