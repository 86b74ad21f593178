package org.mailwarden.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailwarden.admin.AdminException;
import org.mailwarden.admin.AdminService;
import org.mailwarden.admin.web.AdminHttpServer;
import org.mailwarden.admin.web.AdminToken;
import org.mailwarden.admin.web.PrometheusMetrics;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenAddress;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.ServerConfig;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.smtp.outbound.DeliveryService;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: the store, the TLS identity (re-read when its files change), the runtime config that
 * follows administrative changes, the metrics registry, one listener per configured address, each answering
 * with its role's {@link ProtocolService}, outbound delivery of the queue, and the admin HTTP server on the
 * admin addresses. {@link #start} brings them up in that order and {@link #stop} takes them down in
 * reverse: stop accepting, let sessions finish up to a deadline, stop delivery, then close the store.
 */
public final class MailServer {

    /** How often the server looks for administrative changes in the store. */
    static final Duration RUNTIME_POLL = Duration.ofSeconds(1);
    /** How often the server looks for a renewed certificate (certbot, ACME) in the TLS files. */
    static final Duration TLS_POLL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(MailServer.class);

    private final Store store;
    private final RuntimeConfig runtime;
    private final List<ProtocolService> services;
    private final ScheduledExecutorService tlsWatcher;
    private final PrometheusMetrics metrics;
    private final Map<ListenerRole, List<Listener>> listeners = new EnumMap<>(ListenerRole.class);
    private AdminHttpServer admin;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private DeliveryService delivery;
    private boolean stopping;

    private MailServer(Store store, RuntimeConfig runtime, List<ProtocolService> services, TlsSupport tls,
                       PrometheusMetrics metrics) {
        this.store = store;
        this.runtime = runtime;
        this.services = services;
        this.metrics = metrics;
        this.tlsWatcher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("tls-watch").unstarted(r));
        tlsWatcher.scheduleWithFixedDelay(() -> reloadIfChanged(tls), TLS_POLL.toSeconds(), TLS_POLL.toSeconds(), TimeUnit.SECONDS);
    }

    /** A renewed certificate applies to new connections; a broken one is logged and the old one kept. */
    private static void reloadIfChanged(TlsSupport tls) {
        try {
            if (tls.reloadIfChanged()) {
                log.info("TLS certificate reloaded: {}", tls.certificate().getSubjectX500Principal().getName());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("TLS certificate not reloaded, keeping the current one: {}", e.getMessage());
        }
    }

    /**
     * Starts everything the config describes; on any failure, closes what was already open.
     *
     * @throws AdminException naming what could not be started and how to fix it
     */
    public static MailServer start(ServerConfig config, List<ProtocolService> services) {
        Map<ListenerRole, ProtocolService> byRole = ProtocolServices.byRole(services);
        Store store = openStore(config);
        MailServer server = null;
        try {
            TlsSupport tls = openTls(config);
            RuntimeConfig runtime = RuntimeConfig.start(store, RUNTIME_POLL);
            server = new MailServer(store, runtime, services, tls, new PrometheusMetrics());
            Map<String, String> settings = runtime.current().settings();
            AuthThrottle throttle = new AuthThrottle(RuntimeLimits.authThrottle(settings), Clock.systemUTC());
            ConnectionLimiter limiter = new ConnectionLimiter(RuntimeLimits.connections(settings, config.limits()));
            runtime.onChange(s -> {
                throttle.setSettings(RuntimeLimits.authThrottle(s.settings()));
                limiter.setLimits(RuntimeLimits.connections(s.settings(), config.limits()));
            });
            ServerContext context = new ServerContext(config, store, runtime, tls, server.metrics, throttle);
            server.openListeners(config, byRole, context, tls, limiter);
            server.startDelivery(config, runtime);
            server.startAdmin(config);
            log.info("mailwarden {} started: {}", config.hostname(), server.describeListeners());
            return server;
        } catch (RuntimeException e) {
            if (server != null) {
                server.stop(Duration.ZERO);
            } else {
                store.close();
            }
            throw e;
        }
    }

    private static Store openStore(ServerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new AdminException("cannot create the data directory " + config.dataDir() + ": " + e.getMessage()
                    + " (check the permissions, or set data_dir in the config file)");
        }
        return Stores.open(config.storage());
    }

    private static TlsSupport openTls(ServerConfig config) {
        try {
            Files.createDirectories(config.tls().cert().toAbsolutePath().getParent());
            Files.createDirectories(config.tls().key().toAbsolutePath().getParent());
            return TlsSupport.open(config.tls().cert(), config.tls().key(), config.hostname());
        } catch (IOException e) {
            throw new AdminException("TLS: " + e.getMessage());
        }
    }

    private void openListeners(ServerConfig config, Map<ListenerRole, ProtocolService> byRole, ServerContext context,
                               TlsSupport tls, ConnectionLimiter limiter) {
        for (Map.Entry<ListenerRole, List<ListenAddress>> entry : config.listeners().entrySet()) {
            ListenerRole role = entry.getKey();
            if (role == ListenerRole.ADMIN) {
                continue; // HTTP, served by AdminHttpServer below
            }
            ConnectionHandler handler = byRole.get(role).handler(role, context);
            for (ListenAddress address : entry.getValue()) {
                Listener.Builder builder = Listener.builder(role.key(), address.toSocketAddress(), handler)
                        .limiter(limiter).proxyProtocolFrom(config.proxyProtocolFrom());
                if (role.implicitTls()) {
                    builder.implicitTls(tls::context);
                }
                Listener listener = builder.build();
                try {
                    listener.start();
                } catch (IOException e) {
                    throw new AdminException(e.getMessage());
                }
                synchronized (this) {
                    listeners.computeIfAbsent(role, r -> new ArrayList<>()).add(listener);
                }
            }
        }
    }

    private void startDelivery(ServerConfig config, RuntimeConfig runtime) {
        DeliveryService started = DeliveryService.builder(store, config.hostname())
                .settings(() -> runtime.current().settings()).start();
        synchronized (this) {
            delivery = started;
        }
    }

    /** The REST API, web console and metrics on every admin address, with the token from the data directory. */
    private void startAdmin(ServerConfig config) {
        List<ListenAddress> addresses = config.listeners(ListenerRole.ADMIN);
        if (addresses.isEmpty()) {
            return;
        }
        AdminToken token = AdminToken.loadOrCreate(config.dataDir());
        try {
            AdminHttpServer started = AdminHttpServer.start(addresses.stream().map(ListenAddress::toSocketAddress).toList(),
                    new AdminService(store, new PasswordHasher()), token, metrics);
            synchronized (this) {
                admin = started;
            }
        } catch (UncheckedIOException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /** The bound addresses per role (with the real port where the config said port 0). */
    public synchronized Map<ListenerRole, List<InetSocketAddress>> addresses() {
        Map<ListenerRole, List<InetSocketAddress>> out = new EnumMap<>(ListenerRole.class);
        listeners.forEach((role, list) -> out.put(role, list.stream().map(Listener::localAddress).toList()));
        if (admin != null) {
            out.put(ListenerRole.ADMIN, admin.addresses());
        }
        return out;
    }

    /** The first bound address of {@code role}. */
    public InetSocketAddress address(ListenerRole role) {
        List<InetSocketAddress> list = addresses().getOrDefault(role, List.of());
        if (list.isEmpty()) {
            throw new IllegalStateException("no listener for " + role.key());
        }
        return list.get(0);
    }

    public RuntimeConfig runtime() {
        return runtime;
    }

    public Store store() {
        return store;
    }

    /**
     * Stops accepting on every listener at once, gives running sessions until {@code deadline} to finish,
     * closes what remains, stops the services and closes the store. Safe to call more than once.
     */
    public void stop(Duration deadline) {
        List<Listener> all;
        AdminHttpServer adminServer;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            all = listeners.values().stream().flatMap(List::stream).toList();
            adminServer = admin;
        }
        int adminCount = adminServer == null ? 0 : adminServer.addresses().size();
        log.info("shutting down: {} listeners, up to {} s for open sessions", all.size() + adminCount, deadline.toSeconds());
        if (adminServer != null) {
            adminServer.close();
        }
        all.forEach(Listener::close);
        Instant until = Instant.now().plus(deadline);
        try {
            for (Listener listener : all) {
                Duration left = Duration.between(Instant.now(), until);
                listener.shutdown(left.isNegative() ? Duration.ZERO : left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<ProtocolService, Boolean> closed = new IdentityHashMap<>();
        for (ProtocolService service : services) {
            if (closed.put(service, Boolean.TRUE) == null) {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    log.warn("closing {} failed: {}", service.getClass().getSimpleName(), e.toString(), e);
                }
            }
        }
        DeliveryService runningDelivery;
        synchronized (this) {
            runningDelivery = delivery;
        }
        if (runningDelivery != null) {
            runningDelivery.close();
        }
        tlsWatcher.shutdownNow();
        runtime.close();
        store.close();
        metrics.close();
        log.info("mailwarden stopped");
        stopped.countDown();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private String describeListeners() {
        StringBuilder b = new StringBuilder();
        addresses().forEach((role, list) -> list.forEach(a -> {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(role.key()).append(' ').append(a.getAddress().getHostAddress()).append(':').append(a.getPort());
        }));
        return b.isEmpty() ? "no listeners" : b.toString();
    }
}
