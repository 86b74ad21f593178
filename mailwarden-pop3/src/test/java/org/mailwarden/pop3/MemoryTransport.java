package org.mailwarden.pop3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.mailwarden.core.net.LineReader;

/**
 * A session's connection in memory: the client's bytes are given up front, then the stream ends (the
 * client hung up) or stays silent past the idle timeout; what the server sends is collected. It passes
 * for a TLS connection, so USER/PASS work without the plaintext setting, unless made plain, when STLS
 * "succeeds" at once and the bytes after it stand for what the client sends inside TLS.
 */
final class MemoryTransport implements Pop3Transport {

    private final LineReader reader;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final boolean draining;
    private boolean tls = true;
    private Duration idleTimeout;

    private MemoryTransport(InputStream in, boolean draining) {
        this.reader = new LineReader(in, LineReader.DEFAULT_MAX_LINE_LENGTH);
        this.draining = draining;
    }

    /** The client sends {@code input} and closes. */
    static MemoryTransport hangingUpAfter(byte[] input) {
        return new MemoryTransport(new ByteArrayInputStream(input), false);
    }

    /** The client sends {@code input} over a plain connection that offers STLS, and closes. */
    static MemoryTransport plainHangingUpAfter(byte[] input) {
        MemoryTransport transport = hangingUpAfter(input);
        transport.tls = false;
        return transport;
    }

    /** The client sends {@code input}, then nothing until the idle timeout. */
    static MemoryTransport silentAfter(byte[] input) {
        InputStream silence = new InputStream() {
            @Override
            public int read() throws SocketTimeoutException {
                throw new SocketTimeoutException("Read timed out");
            }
        };
        return new MemoryTransport(new SequenceInputStream(new ByteArrayInputStream(input), silence), false);
    }

    /** The client sends {@code input} to a server that is shutting down. */
    static MemoryTransport draining(byte[] input) {
        return new MemoryTransport(new ByteArrayInputStream(input), true);
    }

    String sent() {
        return output.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public String id() {
        return "MEMORY";
    }

    @Override
    public InetSocketAddress clientAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 110);
    }

    @Override
    public LineReader reader() {
        return reader;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public boolean isTls() {
        return tls;
    }

    @Override
    public boolean canStartTls() {
        return !tls;
    }

    @Override
    public void startTls() {
        tls = true;
    }

    @Override
    public void setIdleTimeout(Duration timeout) {
        this.idleTimeout = timeout;
    }

    @Override
    public boolean draining() {
        return draining;
    }
}
