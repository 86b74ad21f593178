package org.mailwarden.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import org.mailwarden.reliability.harness.Figures;
import org.mailwarden.reliability.harness.ServerProcess;
import org.mailwarden.reliability.harness.StoredMail;
import org.mailwarden.reliability.harness.TestServerConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * {@code kill -9} during IMAP APPEND, MOVE and EXPUNGE: concurrent IMAPS clients change their mailboxes
 * while the real server process is killed at random moments and restarted on the same data directory.
 * Afterwards every message must be exactly where the acknowledged commands put it — an acknowledged
 * APPEND stored once and unaltered, an acknowledged MOVE only in the target, an acknowledged EXPUNGE
 * gone — and a command cut off by the kill must have happened wholly or not at all (never a message in
 * both mailboxes of a MOVE, never in neither). The short form runs 2 trials on SQLite in CI;
 * {@code tests/crash.sh} runs more with {@code -Dmailwarden.crash.imapTrials=N}.
 */
class ImapCrashTest {

    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final int CLIENTS = Integer.getInteger("mailwarden.crash.imapClients", 8);

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
    void appendMoveAndExpungeAreAllOrNothingAcrossKillMinus9() throws Exception {
        int trials = Integer.getInteger("mailwarden.crash.imapTrials", 2);
        long seed = Long.getLong("mailwarden.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        TestServerConfig config = TestServerConfig.write(dir, EnumSet.of(ListenerRole.IMAPS), null, 1000, 20);
        prepare(config);
        MailboxLedger ledger = new MailboxLedger();
        int acknowledged = 0;
        for (int trial = 1; trial <= trials; trial++) {
            server = ServerProcess.start(config, dir.resolve("serve-" + trial + ".log"));
            assertThat(server.problems().stream().filter(l -> l.contains(" ERROR "))).as("errors after crash %d", trial - 1)
                    .isEmpty();
            ImapLoad load = new ImapLoad(config, USERS, ledger, "imap" + trial + "-" + Long.toHexString(seed));
            load.start(CLIENTS, seed + trial);
            int target = 10 + random.nextInt(60);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (load.acknowledged() < target && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(300));
            server.kill9();
            load.stopAndJoin();
            assertThat(load.failures()).as("client failures other than the crash").isEmpty();
            acknowledged += load.acknowledged();
            System.out.printf("imap trial %d: killed after %d+ acknowledged operations%n", trial, target);
        }
        server = ServerProcess.start(config, dir.resolve("serve-final.log"));
        assertThat(server.problems().stream().filter(l -> l.contains(" ERROR "))).isEmpty();
        assertThat(server.stop()).isEqualTo(143);
        List<StoredMail.Copy> copies;
        try (Store store = Stores.open(config.storage())) {
            copies = StoredMail.readAll(store);
        }
        List<String> problems = ledger.check(copies);
        Figures.record("crash imap sqlite", "trials=" + trials + " clients=" + CLIENTS + " seed=" + seed
                + " messages=" + ledger.messages() + " acknowledged operations (APPEND/MOVE/EXPUNGE)=" + acknowledged
                + " violations=" + problems.size());
        assertThat(acknowledged).isPositive();
        assertThat(problems).isEmpty();
    }

    /** The users and two mailboxes per client. */
    private static void prepare(TestServerConfig config) {
        try (Store store = Stores.open(config.storage())) {
            store.domains().add(MailLoad.DOMAIN, null);
            StoredPassword pw = StoredPassword.derive(new PasswordHasher(), MailLoad.PASSWORD);
            for (String user : USERS) {
                store.accounts().add(user, MailLoad.DOMAIN, pw.passwordHash(), pw.scramSha256());
            }
            for (int c = 0; c < CLIENTS; c++) {
                long account = store.accounts().find(USERS.get(c % USERS.size()), MailLoad.DOMAIN).orElseThrow().id();
                store.mailboxes().create(account, ImapLoad.mailbox(c, true), null);
                store.mailboxes().create(account, ImapLoad.mailbox(c, false), null);
            }
        }
    }
}
