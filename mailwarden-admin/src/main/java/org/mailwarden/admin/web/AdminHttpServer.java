package org.mailwarden.admin.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mailwarden.admin.AdminService;
import org.mailwarden.admin.rest.RestApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: the REST API, the web console and {@code /metrics} over HTTP on each configured
 * {@code admin} address (default 127.0.0.1:8080), one virtual thread per request. Built on the JDK's
 * {@code com.sun.net.httpserver}, which needs no dependency; its connection and time limits are JVM-wide
 * system properties, set here to bounded values unless the operator set them (see {@link #LIMITS}).
 *
 * <p>The server wiring starts one per process: {@code AdminHttpServer.start(addresses, admin,
 * AdminToken.loadOrCreate(dataDir), metrics)}, and closes it on shutdown.
 */
public final class AdminHttpServer implements AutoCloseable {

    /**
     * The JDK server's limits, applied before its first use: 30 s to send a request (headers and body), 60 s
     * to take an answer, at most 64 headers of 32 KiB together, at most 256 connections per listener.
     */
    static final Map<String, String> LIMITS = Map.of(
            "sun.net.httpserver.maxReqTime", "30",
            "sun.net.httpserver.maxRspTime", "60",
            "sun.net.httpserver.maxReqHeaders", "64",
            "sun.net.httpserver.maxReqHeaderSize", "32768",
            "jdk.httpserver.maxConnections", "256");

    static {
        LIMITS.forEach(System.getProperties()::putIfAbsent);
    }

    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

    private final List<HttpServer> servers;
    private final ExecutorService executor;

    private AdminHttpServer(List<HttpServer> servers, ExecutorService executor) {
        this.servers = servers;
        this.executor = executor;
    }

    /**
     * Binds every address and starts serving.
     *
     * @param admin the operations, on the server's store
     * @param token the admin token, usually {@link AdminToken#loadOrCreate}
     * @param metrics the server's metrics registry, served at {@code /metrics}
     * @throws UncheckedIOException when an address cannot be bound; nothing is left listening then
     */
    public static AdminHttpServer start(List<InetSocketAddress> addresses, AdminService admin, AdminToken token,
                                        PrometheusMetrics metrics) {
        AdminHttpHandler handler = new AdminHttpHandler(new RestApi(admin), token, new ConsoleSessions(Clock.systemUTC()),
                new ConsoleAssets(), metrics, () -> metricsAccess(admin));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        List<HttpServer> servers = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            try {
                HttpServer server = HttpServer.create(address, 50);
                server.createContext("/", handler);
                server.setExecutor(executor);
                servers.add(server);
            } catch (IOException e) {
                servers.forEach(s -> s.stop(0));
                executor.close();
                throw bindFailure(address, e);
            }
        }
        AdminHttpServer started = new AdminHttpServer(List.copyOf(servers), executor);
        for (HttpServer server : servers) {
            server.start();
            InetSocketAddress bound = server.getAddress();
            log.info("admin listener on http://{}/: web console at /, REST API under {}/, metrics at /metrics",
                    hostPort(bound), RestApi.PREFIX);
            if (!bound.getAddress().isLoopbackAddress()) {
                log.warn("admin listener on {} is reachable from other hosts over plain HTTP: the admin token and"
                        + " console cookie cross the network unencrypted; listen on 127.0.0.1 or put a TLS proxy in front",
                        hostPort(bound));
            }
        }
        return started;
    }

    /** The addresses actually bound (port 0 resolved), in the order given. */
    public List<InetSocketAddress> addresses() {
        return servers.stream().map(HttpServer::getAddress).toList();
    }

    /** Stops accepting, gives running requests a second to finish, and closes every connection. */
    @Override
    public void close() {
        for (HttpServer server : servers) {
            InetSocketAddress address = server.getAddress();
            server.stop(1);
            log.info("admin on {} shut down", hostPort(address));
        }
        executor.close();
    }

    // A store outage must not open /metrics, nor hide it from a scraper holding the token.
    private static MetricsAccess metricsAccess(AdminService admin) {
        try {
            return MetricsAccess.of(admin.setting(MetricsAccess.SETTING).orElse(null));
        } catch (RuntimeException e) {
            return MetricsAccess.ALWAYS;
        }
    }

    private static UncheckedIOException bindFailure(InetSocketAddress address, IOException e) {
        String hint = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
                ? "another process listens there; stop it or choose another port in [listen] admin"
                : String.valueOf(e.getMessage()).contains("ermission")
                ? "ports below 1024 need root or CAP_NET_BIND_SERVICE; or use a port above 1024"
                : "check that the address belongs to this machine";
        return new UncheckedIOException("cannot listen for admin on " + hostPort(address) + ": " + e.getMessage()
                + " (" + hint + ")", e);
    }

    private static String hostPort(InetSocketAddress a) {
        if (a.getAddress() == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
