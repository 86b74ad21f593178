package org.mailwarden.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.reliability.harness.Figures;
import org.mailwarden.reliability.harness.ServerProcess;
import org.mailwarden.reliability.harness.SmtpSink;
import org.mailwarden.reliability.harness.StoredMail;
import org.mailwarden.reliability.harness.TestServerConfig;
import org.mailwarden.store.Routes;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestStores;

/**
 * "250 means on disk", proven with {@code kill -9}: the real server runs as its own process while
 * concurrent clients send mail on the MTA, submission (STARTTLS + AUTH) and submissions (implicit TLS +
 * AUTH) ports; at a random moment it is killed with SIGKILL and restarted on the same data directory,
 * trial after trial. Afterwards every message that got a 250 must be in each recipient's INBOX exactly
 * once and unaltered, and, when it had a foreign recipient, still in the outbound queue or delivered to
 * the receiving server; no message may be stored half, and the store must open cleanly after each crash.
 * The outbound variant kills the server while its delivery workers are sending the queue to a receiving
 * server in this JVM: nothing may be marked delivered that did not arrive.
 *
 * <p>The short form runs in CI (3 trials on SQLite, 1 on PostgreSQL, whose database lives in this JVM
 * and so survives the kill, 1 during outbound delivery); {@code tests/crash.sh} runs the long form with
 * {@code -Dmailwarden.crash.trials=N -Dmailwarden.crash.pgTrials=N -Dmailwarden.crash.outboundTrials=N}.
 */
class SmtpCrashTest {

    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    private static final int CLIENTS = Integer.getInteger("mailwarden.crash.clients", 12);
    /** Long form: wait this long after the last restart for the queue to reach the receiving server. */
    private static final int DRAIN_SECONDS = Integer.getInteger("mailwarden.crash.drainSeconds", 0);

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void kill() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9OnSqlite() throws Exception {
        crash("sqlite", null, Integer.getInteger("mailwarden.crash.trials", 3), 0.3, null);
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9OnPostgresql() throws Exception {
        crash("postgresql", TestStores.postgresqlConfig(), Integer.getInteger("mailwarden.crash.pgTrials", 1), 0.3, null);
    }

    @Test
    void nothingIsLostWhenKilledDuringOutboundDelivery() throws Exception {
        try (SmtpSink sink = SmtpSink.start(Duration.ofMillis(20))) {
            crash("sqlite outbound", null, Integer.getInteger("mailwarden.crash.outboundTrials", 1), 0.8, sink);
        }
    }

    /**
     * Runs the trials and checks the result.
     *
     * @param foreignShare share of submitted messages with a foreign recipient
     * @param sink         where foreign mail is delivered; null to keep it queued (nothing listens)
     */
    private void crash(String scenario, StorageConfig postgres, int trials, double foreignShare, SmtpSink sink)
            throws Exception {
        long seed = Long.getLong("mailwarden.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        TestServerConfig config = TestServerConfig.write(dir,
                EnumSet.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS), postgres, 1000, 20);
        prepare(config.storage(), sink == null ? 9 : sink.port());
        Ledger ledger = new Ledger();
        for (int trial = 1; trial <= trials; trial++) {
            server = ServerProcess.start(config, dir.resolve("serve-" + trial + ".log"));
            assertThat(errors(server)).as("errors while starting after crash %d", trial - 1).isEmpty();
            MailLoad load = new MailLoad(config, USERS, ledger, scenario.replace(' ', '-') + trial + "-"
                    + Long.toHexString(seed), foreignShare);
            int acknowledgedBefore = ledger.acknowledged().size();
            load.start(CLIENTS, seed + trial);
            String moment = killAtRandomMoment(ledger, acknowledgedBefore, random, trial < trials);
            server.kill9();
            load.stopAndJoin();
            assertThat(load.failures()).as("client failures other than the crash").isEmpty();
            System.out.printf("%s trial %d: killed %s, %d acknowledged in this trial%s%n", scenario, trial, moment,
                    ledger.acknowledged().size() - acknowledgedBefore,
                    sink == null ? "" : ", " + sink.received().size() + " delivered so far");
        }
        server = ServerProcess.start(config, dir.resolve("serve-final.log"));
        assertThat(errors(server)).as("errors while starting after the last crash").isEmpty();
        if (sink != null && DRAIN_SECONDS > 0) {
            drain(ledger, sink);
        }
        assertThat(server.stop()).as("exit status after SIGTERM").isEqualTo(143);
        if (postgres == null) {
            assertThat(sqliteIntegrity(config.dataDir())).isEqualTo("ok");
        }
        List<StoredMail.Copy> copies;
        try (Store store = Stores.open(config.storage())) {
            copies = StoredMail.readAll(store);
        }
        CrashVerdict verdict = sink == null ? CrashVerdict.of(ledger, copies)
                : CrashVerdict.of(ledger, copies, sink.received(), sink.bodies());
        Figures.record("crash " + scenario, "trials=" + trials + " clients=" + CLIENTS + " seed=" + seed + " "
                + verdict.figures());
        assertThat(verdict.acknowledged()).as("messages acknowledged over all trials").isPositive();
        assertThat(verdict.problems()).as(verdict.figures()).isEmpty();
        if (sink != null) {
            assertThat(verdict.delivered()).as("messages delivered to the receiving server").isPositive();
        }
    }

    /**
     * Waits for every acknowledged foreign message to reach the receiving server: claims of the killed
     * process expire after their lease (two minutes), so this is for the long form only.
     */
    private static void drain(Ledger ledger, SmtpSink sink) throws InterruptedException {
        List<String> foreign = ledger.acknowledged().stream()
                .filter(id -> ledger.sent().get(id).locations().contains(CrashVerdict.QUEUE)).toList();
        long until = System.nanoTime() + Duration.ofSeconds(DRAIN_SECONDS).toNanos();
        Map<String, Integer> arrived = sink.received();
        while (!arrived.keySet().containsAll(foreign) && System.nanoTime() < until) {
            Thread.sleep(1000);
            arrived = sink.received();
        }
        Map<String, Integer> last = arrived;
        assertThat(foreign).as("acknowledged foreign messages that never arrived within %d s", DRAIN_SECONDS)
                .allSatisfy(id -> assertThat(last).containsKey(id));
    }

    /**
     * Waits for the moment to kill: mostly in full flow, after a random number of acknowledgements (the
     * machine may be slow, so time alone says little) plus a random fraction of a second; one trial in
     * five early, while clients are still connecting and handshaking (never the last, so that even a
     * one-trial run kills a server in full flow).
     */
    private static String killAtRandomMoment(Ledger ledger, int acknowledgedBefore, Random random, boolean mayBeEarly)
            throws InterruptedException {
        if (mayBeEarly && random.nextInt(5) == 0) {
            long delay = random.nextInt(1000);
            Thread.sleep(delay);
            return "early, " + delay + " ms after the clients started";
        }
        int target = 5 + random.nextInt(50);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ledger.acknowledged().size() - acknowledgedBefore < target && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        long delay = random.nextInt(400);
        Thread.sleep(delay);
        return "in flow, " + delay + " ms after the " + target + "th acknowledgement";
    }

    /**
     * The domain, the users (who may log in and relay), the route for the foreign domain and a short
     * first retry, so that deliveries broken by a kill are tried again soon.
     */
    private static void prepare(StorageConfig storage, int foreignPort) {
        try (Store store = Stores.open(storage)) {
            store.domains().add(MailLoad.DOMAIN, null);
            StoredPassword pw = StoredPassword.derive(new PasswordHasher(), MailLoad.PASSWORD);
            for (String user : USERS) {
                store.accounts().add(user, MailLoad.DOMAIN, pw.passwordHash(), pw.scramSha256());
            }
            store.routes().put(MailLoad.FOREIGN_DOMAIN, new Routes.HostPort("127.0.0.1", foreignPort));
            store.settings().set("outbound.retry_initial_s", "1");
        }
    }

    private static List<String> errors(ServerProcess server) {
        return server.problems().stream().filter(l -> l.contains(" ERROR ")).toList();
    }

    private static String sqliteIntegrity(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mailwarden.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }
}
