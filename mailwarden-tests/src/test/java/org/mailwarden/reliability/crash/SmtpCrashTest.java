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
 * trial after trial. Afterwards every message that got a 250 must be in each recipient's INBOX (and in
 * the outbound queue when it had foreign recipients) exactly once and unaltered, no message may be
 * stored half, and the store must open cleanly after each crash.
 *
 * <p>The short form runs in CI (3 trials on SQLite, 1 on PostgreSQL, whose database lives in this JVM
 * and so survives the kill); {@code tests/crash.sh} runs the long form with
 * {@code -Dmailwarden.crash.trials=N -Dmailwarden.crash.pgTrials=N}.
 */
class SmtpCrashTest {

    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    private static final int CLIENTS = Integer.getInteger("mailwarden.crash.clients", 12);

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
        crash("sqlite", null, Integer.getInteger("mailwarden.crash.trials", 3));
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9OnPostgresql() throws Exception {
        crash("postgresql", TestStores.postgresqlConfig(), Integer.getInteger("mailwarden.crash.pgTrials", 1));
    }

    private void crash(String backend, StorageConfig postgres, int trials) throws Exception {
        long seed = Long.getLong("mailwarden.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        TestServerConfig config = TestServerConfig.write(dir,
                EnumSet.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS), postgres, 1000, 20);
        prepare(config.storage());
        Ledger ledger = new Ledger();
        for (int trial = 1; trial <= trials; trial++) {
            server = ServerProcess.start(config, dir.resolve("serve-" + trial + ".log"));
            assertThat(errors(server)).as("errors while starting after crash %d", trial - 1).isEmpty();
            MailLoad load = new MailLoad(config, USERS, ledger, backend + trial + "-" + Long.toHexString(seed));
            int acknowledgedBefore = ledger.acknowledged().size();
            load.start(CLIENTS, seed + trial);
            String moment = killAtRandomMoment(ledger, acknowledgedBefore, random, trial < trials);
            server.kill9();
            load.stopAndJoin();
            assertThat(load.failures()).as("client failures other than the crash").isEmpty();
            System.out.printf("%s trial %d: killed %s, %d acknowledged in this trial%n", backend, trial, moment,
                    ledger.acknowledged().size() - acknowledgedBefore);
        }
        server = ServerProcess.start(config, dir.resolve("serve-final.log"));
        assertThat(errors(server)).as("errors while starting after the last crash").isEmpty();
        assertThat(server.stop()).as("exit status after SIGTERM").isEqualTo(143);
        if (postgres == null) {
            assertThat(sqliteIntegrity(config.dataDir())).isEqualTo("ok");
        }
        List<StoredMail.Copy> copies;
        try (Store store = Stores.open(config.storage())) {
            copies = StoredMail.readAll(store);
        }
        CrashVerdict verdict = CrashVerdict.of(ledger, copies);
        Figures.record("crash smtp " + backend, "trials=" + trials + " clients=" + CLIENTS + " seed=" + seed + " "
                + verdict.figures());
        assertThat(verdict.acknowledged()).as("messages acknowledged over all trials").isPositive();
        assertThat(verdict.problems()).as(verdict.figures()).isEmpty();
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
        int target = 5 + random.nextInt(80);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ledger.acknowledged().size() - acknowledgedBefore < target && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        long delay = random.nextInt(400);
        Thread.sleep(delay);
        return "in flow, " + delay + " ms after the " + target + "th acknowledgement";
    }

    /** The domain, the users (who may log in and relay) and a route that keeps foreign mail queued. */
    private static void prepare(StorageConfig storage) {
        try (Store store = Stores.open(storage)) {
            store.domains().add(MailLoad.DOMAIN, null);
            StoredPassword pw = StoredPassword.derive(new PasswordHasher(), MailLoad.PASSWORD);
            for (String user : USERS) {
                store.accounts().add(user, MailLoad.DOMAIN, pw.passwordHash(), pw.scramSha256());
            }
            // nothing listens on the discard port: delivery attempts fail temporarily, the mail stays queued
            store.routes().put(MailLoad.FOREIGN_DOMAIN, new Routes.HostPort("127.0.0.1", 9));
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
