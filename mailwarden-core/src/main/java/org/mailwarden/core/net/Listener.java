package org.mailwarden.core.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.mailwarden.core.policy.IpRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepts connections on one address for one protocol and runs each in its own virtual thread through a
 * {@link ConnectionHandler}. It enforces the connection limits (over a limit the handler may send its
 * "too busy" reply, then the connection closes), does the handshake on implicit-TLS listeners, sets the
 * idle timeout, logs one line when a connection opens and one when it closes (with its duration and byte
 * counts), and puts {@code conn} and {@code client} in the SLF4J MDC for everything the session logs.
 * Behind a load balancer it takes the real client address from a PROXY protocol header sent by a
 * trusted peer.
 *
 * <pre>
 * Listener smtp = Listener.builder("smtp", new InetSocketAddress("127.0.0.1", 2525), session)
 *         .limiter(sharedLimiter).idleTimeout(Duration.ofMinutes(5)).maxLineLength(4096).build();
 * smtp.start();
 * ...
 * smtp.shutdown(Duration.ofSeconds(30));
 * </pre>
 */
public final class Listener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    /** Rejections in progress beyond this many are closed without a reply, so a flood costs nothing more. */
    static final int MAX_REJECTIONS_IN_PROGRESS = 64;
    /** How long a connection refused for a limit may take to receive its reply (and TLS handshake). */
    static final Duration REJECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a trusted proxy may take to send its PROXY header. */
    static final Duration PROXY_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** How often the watchdog looks for writes blocked on clients that stopped reading. */
    static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(1);

    private final String name;
    private final InetSocketAddress bindAddress;
    private final ConnectionHandler handler;
    private final ConnectionLimiter limiter;
    private final Supplier<SSLContext> implicitTls;
    private final Duration idleTimeout;
    private final int maxLineLength;
    private final List<IpRange> proxies;
    private final Map<Thread, Connection> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger rejecting = new AtomicInteger();
    private volatile boolean draining;
    private ServerSocket server;
    private InetSocketAddress boundAddress;
    private Thread acceptor;
    private Thread watchdog;

    private Listener(Builder b) {
        this.name = b.name;
        this.bindAddress = b.address;
        this.handler = b.handler;
        this.limiter = b.limiter != null ? b.limiter : new ConnectionLimiter(ConnectionLimits.DEFAULT);
        this.implicitTls = b.implicitTls;
        this.idleTimeout = b.idleTimeout;
        this.maxLineLength = b.maxLineLength;
        this.proxies = List.copyOf(b.proxies);
    }

    /** Starts describing a listener named {@code name} (used in logs and thread names) on {@code address}. */
    public static Builder builder(String name, InetSocketAddress address, ConnectionHandler handler) {
        return new Builder(name, address, handler);
    }

    /** The settings of a {@link Listener}; only name, address and handler are required. */
    public static final class Builder {
        private final String name;
        private final InetSocketAddress address;
        private final ConnectionHandler handler;
        private ConnectionLimiter limiter;
        private Supplier<SSLContext> implicitTls;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private int maxLineLength = LineReader.DEFAULT_MAX_LINE_LENGTH;
        private List<IpRange> proxies = List.of();

        private Builder(String name, InetSocketAddress address, ConnectionHandler handler) {
            this.name = Objects.requireNonNull(name);
            this.address = Objects.requireNonNull(address);
            this.handler = Objects.requireNonNull(handler);
        }

        /** The limiter to count connections against; share one between listeners for server-wide limits. */
        public Builder limiter(ConnectionLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        /** Makes this an implicit-TLS listener; the supplier is asked at each handshake (see {@link TlsSupport#context()}). */
        public Builder implicitTls(Supplier<SSLContext> context) {
            this.implicitTls = context;
            return this;
        }

        /** The initial idle timeout of each connection (the session may change it); default 5 minutes. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** The line length limit of each connection's {@link LineReader}; default 4096. */
        public Builder maxLineLength(int length) {
            this.maxLineLength = length;
            return this;
        }

        /**
         * Peers (load balancers) that must start every connection with a PROXY protocol v1 or v2 header
         * carrying the real client address, which then counts for limits, logs and relay decisions.
         * Connections from these peers without a valid header are closed; from other peers a PROXY line
         * is ordinary protocol input. Default: none.
         */
        public Builder proxyProtocolFrom(List<IpRange> trustedProxies) {
            this.proxies = trustedProxies;
            return this;
        }

        public Listener build() {
            return new Listener(this);
        }
    }

    /**
     * Binds and starts accepting.
     *
     * @throws IOException with a message that names the address and suggests a fix when binding fails
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("listener " + name + " already started");
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(bindAddress, 512);
        } catch (IOException e) {
            socket.close();
            throw bindFailure(e);
        }
        server = socket;
        boundAddress = (InetSocketAddress) socket.getLocalSocketAddress();
        acceptor = Thread.ofPlatform().daemon().name("accept-" + name + "-" + format(localAddress()))
                .start(this::acceptLoop);
        watchdog = Thread.ofVirtual().name("watchdog-" + name).start(this::watchLoop);
        log.info("listening for {} on {}{}", name, format(localAddress()), implicitTls != null ? " (TLS)" : "");
    }

    private IOException bindFailure(IOException e) {
        String hint;
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
            hint = "another process listens there; stop it or choose another port in [listen]";
        } else if (String.valueOf(e.getMessage()).contains("ermission")) {
            hint = "ports below 1024 need root or CAP_NET_BIND_SERVICE; or use a port above 1024";
        } else {
            hint = "check that the address belongs to this machine";
        }
        return new IOException("cannot listen for " + name + " on " + format(bindAddress) + ": " + e.getMessage()
                + " (" + hint + ")", e);
    }

    /** The bound address (with the real port when bound to port 0). */
    public synchronized InetSocketAddress localAddress() {
        if (boundAddress == null) {
            throw new IllegalStateException("listener " + name + " not started");
        }
        return boundAddress;
    }

    public String name() {
        return name;
    }

    /** How many connections this listener is serving now (including ones being refused). */
    public int activeConnections() {
        return sessions.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                // typically out of file descriptors: back off instead of spinning
                log.warn("accept failed on {} {}: {}", name, format(localAddress()), e.getMessage());
                sleepQuietly(Duration.ofMillis(100));
                continue;
            }
            Thread thread = Thread.ofVirtual().name(name + "-conn").unstarted(() -> serve(socket));
            try {
                Connection connection = new Connection(ConnectionId.next(), name, socket, maxLineLength,
                        () -> draining);
                sessions.put(thread, connection);
                thread.start();
            } catch (IOException e) {
                log.debug("connection on {} lost before it started: {}", name, e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    /**
     * Closes connections whose write has been blocked longer than their idle timeout: a client that stops
     * reading would otherwise hold its session (and its slot in the limits) forever.
     */
    private void watchLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(WATCHDOG_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : sessions.values()) {
                if (c.writeStalled(now)) {
                    c.abort("write timeout: the client stopped reading");
                }
            }
        }
    }

    private void serve(Socket socket) {
        Connection c = sessions.get(Thread.currentThread());
        String client = format(c.clientAddress());
        MDC.put("conn", c.id());
        MDC.put("client", client);
        ConnectionLimiter.Admission admission = null;
        String outcome = "closed";
        String failure = null;
        try {
            String via = "";
            if (isProxy(c.clientAddress().getAddress())) {
                socket.setSoTimeout(Math.toIntExact(PROXY_HEADER_TIMEOUT.toMillis()));
                Optional<ProxyProtocol.Header> header = ProxyProtocol.read(socket.getInputStream());
                if (header.isPresent()) {
                    via = " via " + client;
                    c.useProxiedAddresses(header.get().source(), header.get().destination());
                    client = format(c.clientAddress());
                    MDC.put("client", client);
                }
            }
            admission = limiter.tryAcquire(c.clientAddress().getAddress());
            if (admission != ConnectionLimiter.Admission.ADMITTED) {
                outcome = "refused: " + (admission == ConnectionLimiter.Admission.SERVER_FULL
                        ? "server full (" + limiter.limits().maxTotal() + " connections)"
                        : "too many connections from this client (limit " + limiter.limits().maxPerIp() + ")");
                reject(c);
                return;
            }
            log.info("conn={} client={} connected to {} {}{}", c.id(), client, name, format(c.localAddress()), via);
            c.setIdleTimeout(idleTimeout);
            c.reader().setLineDeadline(limiter.limits().lineDeadline());
            if (implicitTls != null) {
                c.startTls(implicitTls.get());
            }
            handler.handle(c);
        } catch (IdleTimeoutException e) {
            failure = "idle timeout";
        } catch (SocketTimeoutException e) {
            failure = "timeout before the session started (TLS handshake or PROXY header)";
        } catch (SSLException e) {
            failure = "TLS failed: " + e.getMessage();
        } catch (ProxyProtocol.ProxyProtocolException e) {
            failure = "PROXY protocol: " + e.getMessage();
        } catch (SocketException e) {
            failure = "connection lost: " + e.getMessage();
        } catch (IOException e) {
            failure = "I/O error: " + e;
        } catch (RuntimeException | Error e) {
            failure = "session failed: " + e;
            log.error("conn={} client={} session on {} failed", c.id(), client, name, e);
        } finally {
            try {
                c.output().flush();
            } catch (IOException e) {
                // the client is gone; the outcome already says why
            }
            closeQuietly(c);
            if (c.abortReason() != null) {
                failure = c.abortReason();
            }
            if (failure != null) {
                outcome += ", " + failure;
            }
            if (admission == ConnectionLimiter.Admission.ADMITTED) {
                limiter.release(c.clientAddress().getAddress());
                log.info("conn={} client={} disconnected after {} ms, {} bytes in, {} bytes out: {}", c.id(), client,
                        Duration.between(c.startedAt(), Instant.now()).toMillis(), c.bytesIn(), c.bytesOut(), outcome);
            } else {
                log.warn("conn={} client={} to {} {}", c.id(), client, name, outcome);
            }
            sessions.remove(Thread.currentThread());
            MDC.clear();
        }
    }

    private boolean isProxy(InetAddress peer) {
        for (IpRange range : proxies) {
            if (range.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /** Lets the handler send its "too busy" reply, unless too many refusals are already running. */
    private void reject(Connection c) throws IOException {
        if (rejecting.incrementAndGet() > MAX_REJECTIONS_IN_PROGRESS) {
            rejecting.decrementAndGet();
            return;
        }
        try {
            c.setIdleTimeout(REJECT_TIMEOUT);
            if (implicitTls != null) {
                c.startTls(implicitTls.get());
            }
            handler.rejectBusy(c);
        } finally {
            rejecting.decrementAndGet();
        }
    }

    /** Stops accepting new connections; running sessions continue. */
    @Override
    public void close() {
        ServerSocket s;
        Thread a;
        synchronized (this) {
            s = server;
            a = acceptor;
        }
        if (s == null) {
            return;
        }
        closeQuietly(s);
        if (a != null && a != Thread.currentThread()) {
            try {
                a.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops accepting, marks sessions as {@linkplain Connection#isDraining() draining} and waits up to
     * {@code deadline} for them to end; then closes the sockets of those still running and waits for their
     * threads to finish.
     *
     * @return true when every session ended by itself before the deadline
     */
    public boolean shutdown(Duration deadline) throws InterruptedException {
        synchronized (this) {
            if (server == null) {
                return true;
            }
        }
        try {
            return drain(deadline);
        } finally {
            watchdog.interrupt();
        }
    }

    private boolean drain(Duration deadline) throws InterruptedException {
        close();
        draining = true;
        Instant until = Instant.now().plus(deadline);
        for (Thread thread : List.copyOf(sessions.keySet())) {
            Duration left = Duration.between(Instant.now(), until);
            if (left.isPositive()) {
                thread.join(left);
            }
        }
        List<Map.Entry<Thread, Connection>> remaining = List.copyOf(sessions.entrySet());
        if (remaining.isEmpty()) {
            log.info("{} on {} shut down", name, format(localAddress()));
            return true;
        }
        log.info("{} on {}: closing {} sessions still open after {} ms", name, format(localAddress()),
                remaining.size(), deadline.toMillis());
        for (Map.Entry<Thread, Connection> session : remaining) {
            session.getValue().abort("closed at shutdown");
        }
        for (Map.Entry<Thread, Connection> session : remaining) {
            session.getKey().join();
        }
        return false;
    }

    /** An address as people write it: {@code 192.0.2.1:25} or {@code [2001:db8::1]:25}. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        int percent = host.indexOf('%');
        if (percent >= 0) {
            host = host.substring(0, percent);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing after an error or at shutdown: there is nothing more to do
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
