package org.mailwarden.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.mailwarden.store.Queue;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound delivery: a scheduler thread claims due recipients from the queue under a lease (so several
 * nodes never deliver the same recipient), routes each message on a virtual thread ({@link Router}), and
 * hands one job per message and destination to that destination's {@link Lane}. Workers on virtual threads,
 * at most {@code outbound.max_connections} in total and {@code outbound.max_connections_per_host} per
 * destination, carry the jobs over reused SMTP connections ({@link HopSession}); every attempt is recorded at
 * once ({@link AttemptRecorder}). Between claims the scheduler sends due notices ({@link Notices}) and removes
 * finished messages. Settings are re-read on every round, so changes apply while the server runs.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    /** Recipients claimed per allowed connection: enough to keep connections busy, few enough to share with other nodes. */
    private static final int RECIPIENTS_PER_CONNECTION = 20;
    private static final int MAX_CLAIM = 500;
    private static final long LINGER_MILLIS = 500;
    private static final int MAX_HOPS_PER_ATTEMPT = 5;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final String NOTICE_LOCK = "outbound:notices";

    private final Store store;
    private final Queue queue;
    private final String hostname;
    private final Supplier<Map<String, String>> settingsSource;
    private final Clock clock;
    private final ClientTls tls;
    private final ClientTimeouts timeouts;
    private final Duration lease;
    private final Duration pollInterval;
    private final String holder;
    private final RecordBatcher batcher;
    private final AttemptRecorder recorder;
    private final Notices notices;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Set<HopSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object wakeup = new Object();
    private final Thread scheduler;
    private volatile boolean running = true;
    private boolean failing;
    private Map<String, String> rawSettings;
    private volatile OutboundSettings settings;
    private volatile MxResolver dns;

    private DeliveryService(Builder b) {
        this.store = b.store;
        this.queue = b.store.queue();
        this.hostname = b.hostname;
        this.settingsSource = b.settings != null ? b.settings : () -> b.store.settings().all();
        this.clock = b.clock;
        this.tls = b.tls != null ? b.tls : ClientTls.system();
        this.timeouts = b.timeouts;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.holder = hostname + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.batcher = new RecordBatcher(queue);
        this.recorder = new AttemptRecorder(batcher, clock);
        this.notices = new Notices(store, hostname, clock);
        this.rawSettings = settingsSource.get();
        this.settings = OutboundSettings.from(rawSettings);
        this.dns = new MxResolver(settings.dnsServers());
        this.scheduler = Thread.ofPlatform().name("outbound-scheduler").daemon().unstarted(this::schedule);
    }

    public static Builder builder(Store store, String hostname) {
        return new Builder(store, hostname);
    }

    /** How to start a {@link DeliveryService}; everything but the store and host name has a default. */
    public static final class Builder {
        private final Store store;
        private final String hostname;
        private Supplier<Map<String, String>> settings;
        private Clock clock = Clock.systemUTC();
        private ClientTls tls;
        private ClientTimeouts timeouts = ClientTimeouts.RFC_5321;
        private Duration lease = Duration.ofMinutes(2);
        private Duration pollInterval = Duration.ofSeconds(1);

        private Builder(Store store, String hostname) {
            this.store = Objects.requireNonNull(store, "store");
            this.hostname = Objects.requireNonNull(hostname, "hostname");
        }

        /** Where the runtime settings come from (default: the store's, read every round). */
        public Builder settings(Supplier<Map<String, String>> source) {
            this.settings = source;
            return this;
        }

        /** The clock for due times, retries and expiry (tests move it forward). */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Trust for routes that require verified TLS (default: the JDK's CAs). */
        public Builder tls(ClientTls t) {
            this.tls = t;
            return this;
        }

        public Builder timeouts(ClientTimeouts t) {
            this.timeouts = t;
            return this;
        }

        /** How long a claim holds without renewal: after a crash, the claimed recipients wait this long. */
        public Builder lease(Duration d) {
            this.lease = d;
            return this;
        }

        /** The pause between rounds when nothing is due. */
        public Builder pollInterval(Duration d) {
            this.pollInterval = d;
            return this;
        }

        public DeliveryService start() {
            DeliveryService service = new DeliveryService(this);
            service.scheduler.start();
            LOG.info("outbound delivery started as {}: at most {} connections, {} per host", service.holder,
                    service.settings.maxConnections(), service.settings.maxConnectionsPerHost());
            return service;
        }
    }

    /** Ends the scheduler's pause, so that it notices a shutdown at once. */
    private void wakeUp() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    // ---- the scheduler ------------------------------------------------------------------------------

    private void schedule() {
        long lastRenewal = System.nanoTime();
        while (running) {
            boolean busy = false;
            try {
                refreshSettings();
                if (System.nanoTime() - lastRenewal > lease.toNanos() / 3) {
                    queue.renewClaims(holder, lease);
                    lastRenewal = System.nanoTime();
                }
                busy = claimAndDispatch();
                sendNotices();
                queue.removeFinished(100).forEach(id -> LOG.info("queue={} removed: every recipient is done", id));
                if (failing) {
                    failing = false;
                    LOG.info("outbound scheduler: the store answers again");
                }
            } catch (RuntimeException e) {
                // Once per outage, not once a second.
                if (!failing) {
                    failing = true;
                    LOG.warn("outbound scheduler round failed, retrying every {} ms: {}", pollInterval.toMillis(),
                            e.toString(), e);
                }
            }
            if (!busy) {
                pause();
            }
        }
    }

    /**
     * Sends due notices; in a cluster only one node at a time does, under a lease, so that a sender never
     * gets the same notice from two nodes.
     */
    private void sendNotices() {
        if (!queue.noticesDue(1).isEmpty() && store.locks().tryAcquire(NOTICE_LOCK, holder, lease)) {
            notices.sendDue(settings);
        }
    }

    /** Re-reads the settings when they changed (so a bad value is warned about once, not every round). */
    private void refreshSettings() {
        Map<String, String> raw = settingsSource.get();
        if (raw.equals(rawSettings)) {
            return;
        }
        rawSettings = raw;
        OutboundSettings next = OutboundSettings.from(raw);
        if (!next.dnsServers().equals(settings.dnsServers())) {
            dns = new MxResolver(next.dnsServers());
            LOG.info("outbound DNS servers now {}", next.dnsServers().isEmpty() ? "the system's" : next.dnsServers());
        }
        settings = next;
    }

    /** Claims what there is room for and routes it; true when the claim was full (more may be due). */
    private boolean claimAndDispatch() {
        OutboundSettings s = settings;
        int room = Math.min(MAX_CLAIM, s.maxConnections() * RECIPIENTS_PER_CONNECTION - inFlight.get());
        if (room <= 0) {
            return false;
        }
        List<QueuedMessage> claimed = queue.claimDue(holder, clock.instant(), lease, room);
        if (claimed.isEmpty()) {
            return false;
        }
        Router router = new Router(store.routes(), dns, s.mxPort(), hostname);
        int count = 0;
        for (QueuedMessage m : claimed) {
            count += m.recipients().size();
            inFlight.addAndGet(m.recipients().size());
            Thread.ofVirtual().name("outbound-route-" + m.queueId()).start(() -> route(m, router, s));
        }
        return count >= room;
    }

    private void pause() {
        synchronized (wakeup) {
            try {
                wakeup.wait(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    // ---- routing ------------------------------------------------------------------------------------

    /** Splits a message by destination and queues one job per destination (one transaction each). */
    private void route(QueuedMessage m, Router router, OutboundSettings s) {
        Map<String, Router.Routing> byDomain = new LinkedHashMap<>();
        Map<String, List<QueuedRecipient>> byKey = new LinkedHashMap<>();
        Map<String, Router.Destination> destinations = new LinkedHashMap<>();
        for (QueuedRecipient r : m.recipients()) {
            String domain = r.address().substring(r.address().lastIndexOf('@') + 1);
            Router.Routing routing;
            try {
                routing = byDomain.computeIfAbsent(domain, router::route);
            } catch (RuntimeException e) {
                LOG.warn("queue={} routing {} failed: {}", m.queueId(), domain, e.toString(), e);
                routing = new Router.Unroutable(DeliveryResult.deferred("4.3.0", "routing failed: " + e.getMessage()));
                byDomain.put(domain, routing);
            }
            switch (routing) {
                case Router.Destination d -> {
                    byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(r);
                    destinations.putIfAbsent(d.key(), d);
                }
                case Router.Unroutable u -> finish(m, List.of(r), List.of(u.result()), null, false, s);
            }
        }
        byKey.forEach((key, rcpts) -> submit(new Lane.Job(m, rcpts, destinations.get(key)), s));
    }

    private void submit(Lane.Job job, OutboundSettings s) {
        lanes.compute(job.destination().key(), (k, lane) -> {
            Lane l = lane != null ? lane : new Lane(k);
            l.add(job);
            return l;
        });
        startWorkers(s);
    }

    /** Starts workers for lanes that want one, within the total and per-host limits. */
    private void startWorkers(OutboundSettings s) {
        for (Lane lane : lanes.values()) {
            while (running && lane.addWorker(s.maxConnectionsPerHost())) {
                if (!reserveConnection(s.maxConnections())) {
                    // Every connection is in use; a worker that leaves calls this again.
                    lane.workerLeft();
                    return;
                }
                workers.incrementAndGet();
                Thread.ofVirtual().name("outbound-" + lane.key()).start(() -> work(lane));
            }
        }
    }

    private boolean reserveConnection(int limit) {
        while (true) {
            int n = connections.get();
            if (n >= limit) {
                return false;
            }
            if (connections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    // ---- workers ------------------------------------------------------------------------------------

    private void work(Lane lane) {
        HopSession session = null;
        try {
            Lane.Job job;
            while (running && (job = lane.take(LINGER_MILLIS)) != null) {
                try {
                    session = carry(lane, session, job);
                } catch (RuntimeException e) {
                    // A bug must not strand the job: it is deferred like any failed attempt.
                    LOG.error("queue={} delivery to {} failed unexpectedly", job.message().queueId(), lane.key(), e);
                    if (session != null) {
                        close(session);
                        session = null;
                    }
                    finish(job, DeliveryResult.deferred("4.3.0", "internal error: " + e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (session != null) {
                close(session);
            }
            lane.workerLeft();
            connections.decrementAndGet();
            workers.decrementAndGet();
            lanes.computeIfPresent(lane.key(), (k, l) -> l.unused() ? null : l);
            if (running) {
                // Jobs that arrived while this worker was leaving get a worker now.
                startWorkers(settings);
            }
        }
    }

    /** Delivers one job over the session, opening (or reopening) it as needed; returns the session to reuse. */
    private HopSession carry(Lane lane, HopSession current, Lane.Job job) {
        HopSession session = current;
        if (session != null && !session.ready()) {
            close(session);
            session = null;
        }
        if (session == null) {
            try {
                session = open(job.destination());
            } catch (HopSession.HopFailure f) {
                // The destination is unreachable now: everything waiting for it is deferred with the same reason.
                finish(job, f.result());
                for (Lane.Job waiting : lane.drain()) {
                    finish(waiting, f.result());
                }
                return null;
            }
        }
        deliver(session, job);
        return session;
    }

    private HopSession open(Router.Destination d) throws HopSession.HopFailure {
        HopSession.Policy policy = new HopSession.Policy(hostname, tls, d.options(), timeouts);
        HopSession.HopFailure last = null;
        for (NextHop hop : d.hops().subList(0, Math.min(MAX_HOPS_PER_ATTEMPT, d.hops().size()))) {
            try {
                HopSession session = HopSession.open(hop, policy);
                sessions.add(session);
                LOG.debug("outbound connected to {} tls={} esmtp={}", hop, session.tls(), session.extensions().esmtp());
                return session;
            } catch (HopSession.HopFailure f) {
                LOG.info("outbound connection to {} failed: {}", hop, f.getMessage());
                last = f;
            }
        }
        throw Objects.requireNonNull(last, "a destination has at least one host");
    }

    private void close(HopSession session) {
        sessions.remove(session);
        session.close();
    }

    private void deliver(HopSession session, Lane.Job job) {
        QueuedMessage m = job.message();
        List<DeliveryResult> results;
        try {
            Envelope envelope = envelope(job);
            results = session.deliver(envelope, () -> queue.openBody(m));
        } catch (IOException | RuntimeException e) {
            LOG.warn("queue={} cannot read the queued message: {}", m.queueId(), e.toString());
            DeliveryResult r = DeliveryResult.deferred("4.3.0", "cannot read the queued message: " + e.getMessage());
            results = job.recipients().stream().map(x -> r).toList();
        }
        finish(m, job.recipients(), results, session.hop().toString(), session.extensions().dsn(), settings);
    }

    private Envelope envelope(Lane.Job job) throws IOException {
        QueuedMessage m = job.message();
        BodyTraits traits;
        try (InputStream in = queue.openBody(m)) {
            traits = BodyTraits.scan(in);
        }
        boolean utf8Addresses = !ascii(m.sender()) || job.recipients().stream().anyMatch(r -> !ascii(r.address()));
        List<Envelope.Recipient> rcpts = job.recipients().stream()
                .map(r -> new Envelope.Recipient(r.id(), r.address(), r.dsnNotify(), r.orcpt())).toList();
        return new Envelope(m.sender(), rcpts, m.envid(), m.ret(), m.size(), traits.eightBit(),
                utf8Addresses || traits.utf8Headers());
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** Records the same result (a destination that could not be reached) for every recipient of a job. */
    private void finish(Lane.Job job, DeliveryResult all) {
        finish(job.message(), job.recipients(), job.recipients().stream().map(r -> all).toList(), null, false, settings);
    }

    private void finish(QueuedMessage m, List<QueuedRecipient> rcpts, List<DeliveryResult> results, String relay,
                        boolean dsn, OutboundSettings s) {
        try {
            recorder.record(m, rcpts, results, relay, dsn, s.schedule());
        } finally {
            inFlight.addAndGet(-rcpts.size());
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------------

    /**
     * Stops claiming, lets workers finish the transaction they are in (for up to ten seconds, then cuts
     * their connections, which defers those recipients), and releases every claim not yet recorded.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        wakeUp();
        lanes.values().forEach(Lane::close);
        try {
            scheduler.join(SHUTDOWN_GRACE.toMillis());
            if (!awaitWorkers(SHUTDOWN_GRACE)) {
                LOG.warn("outbound: {} deliveries still running after {} s; cutting their connections", workers.get(),
                        SHUTDOWN_GRACE.toSeconds());
                sessions.forEach(HopSession::abort);
                awaitWorkers(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batcher.close();
        try {
            queue.releaseClaims(holder);
            store.locks().release(NOTICE_LOCK, holder);
        } catch (RuntimeException e) {
            // The claims and the lease run out by themselves.
            LOG.warn("outbound: cannot release claims at shutdown: {}", e.toString());
        }
        LOG.info("outbound delivery stopped");
    }

    private boolean awaitWorkers(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (workers.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return workers.get() == 0;
    }
}
