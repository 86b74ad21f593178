package org.mailwarden.reliability.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.reliability.harness.Figures;
import org.mailwarden.reliability.harness.ImapClient;
import org.mailwarden.reliability.harness.Pop3Client;
import org.mailwarden.reliability.harness.ServerProcess;
import org.mailwarden.reliability.harness.SmtpClient;
import org.mailwarden.reliability.harness.TestServerConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * Password guessing against a real server process over submissions (SMTP AUTH), POP3S and IMAPS, from one
 * address and from many: answers from one guessing address slow down, a login guessed at from many
 * addresses is locked — in every form a user may log in with, on every protocol, even for the right
 * password — and nothing in the answers tells an account that exists from one that does not.
 * Each scenario uses its own accounts and client addresses, since the throttle remembers for 15 minutes.
 */
class AuthAbuseTest {

    private static final String PASSWORD = "the right password 42";
    /**
     * Failures that lock a login ({@code auth.max_failures_per_account}, default 10), and the longest
     * delay ({@code auth.max_delay_s}, default 16 s): lowered so that the test is quick; the behaviour is
     * the same.
     */
    private static final int LOGIN_FAILURES_TO_LOCK = 8;
    private static final int MAX_DELAY_S = 2;
    /** Rounds of wrong passwords in the enumeration check: 6 ways to log in, so 6 failures a round (lockout: 8). */
    private static final int ROUNDS = 1;
    /** Failures timed per kind (existing, unknown account), each from a fresh address. */
    private static final int TIMING_SAMPLES = 9;
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

    private static Path dir;
    private static TestServerConfig config;
    private static ServerProcess server;
    private static Guesser guesser;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mailwarden-auth-abuse");
        config = TestServerConfig.write(dir, EnumSet.of(ListenerRole.SMTP, ListenerRole.SUBMISSIONS, ListenerRole.POP3S, ListenerRole.IMAPS),
                null, 1000, 50);
        try (Store store = Stores.open(config.storage())) {
            store.domains().add("example.test", "EXAMPLE");
            StoredPassword pw = StoredPassword.derive(new PasswordHasher(), PASSWORD);
            store.settings().set("auth.max_failures_per_account", String.valueOf(LOGIN_FAILURES_TO_LOCK));
            store.settings().set("auth.max_delay_s", String.valueOf(MAX_DELAY_S));
            for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace")) {
                store.accounts().add(user, "example.test", pw.passwordHash(), pw.scramSha256());
            }
            for (int i = 0; i < TIMING_SAMPLES; i++) {
                store.accounts().add("timing" + i, "example.test", pw.passwordHash(), pw.scramSha256());
            }
        }
        server = ServerProcess.start(config, dir.resolve("serve.log"));
        guesser = new Guesser(config);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersDoNotTellWhichAccountsExist() throws Exception {
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            known.add(guesser.smtpPlain("alice@example.test", "wrong " + i));
            unknown.add(guesser.smtpPlain("nobody@example.test", "wrong " + i));
            known.add(String.join(" / ", guesser.smtpLogin("EXAMPLE\\alice", "wrong " + i)));
            unknown.add(String.join(" / ", guesser.smtpLogin("EXAMPLE\\nobody", "wrong " + i)));
            known.add(String.join(" / ", guesser.pop3UserPass("alice@example.test", "wrong " + i)));
            unknown.add(String.join(" / ", guesser.pop3UserPass("nobody@example.test", "wrong " + i)));
            known.add(guesser.pop3Plain("alice", "wrong " + i));
            unknown.add(guesser.pop3Plain("nobody", "wrong " + i));
            known.add(guesser.imapLogin("alice@example.test", "wrong " + i));
            unknown.add(guesser.imapLogin("nobody@example.test", "wrong " + i));
            known.add(guesser.imapPlain("alice", "wrong " + i));
            unknown.add(guesser.imapPlain("nobody", "wrong " + i));
        }
        assertThat(known).as("answers for an existing account").isEqualTo(unknown);
        assertThat(known.getFirst()).startsWith("535 5.7.8");
        // how long a failure takes, existing against unknown accounts, alternating, each name tried once (so no
        // throttle delay) and timed from AUTH to its reply: recorded, not asserted
        List<Long> knownMillis = new ArrayList<>();
        List<Long> unknownMillis = new ArrayList<>();
        for (int i = 0; i < TIMING_SAMPLES; i++) {
            boolean knownFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean measureKnown = knownFirst == (k == 0);
                try (SmtpClient c = guesser.submissions(nextAddress())) {
                    long start = System.nanoTime();
                    c.authPlain((measureKnown ? "timing" : "absent") + i + "@example.test", "wrong");
                    (measureKnown ? knownMillis : unknownMillis).add((System.nanoTime() - start) / 1_000_000);
                }
            }
        }
        // the same comparison in process: Argon2id against a stored hash and against the dummy hash
        PasswordHasher hasher = new PasswordHasher();
        String stored = hasher.hash(PASSWORD);
        List<Long> verifyMicros = new ArrayList<>();
        List<Long> dummyMicros = new ArrayList<>();
        for (int i = 0; i < 2 * TIMING_SAMPLES; i++) {
            long start = System.nanoTime();
            if (i % 2 == 0) {
                hasher.verify("wrong", stored);
                verifyMicros.add((System.nanoTime() - start) / 1000);
            } else {
                hasher.verifyDummy("wrong");
                dummyMicros.add((System.nanoTime() - start) / 1000);
            }
        }
        Figures.record("auth enumeration", "identical answers for existing and unknown accounts over SMTP AUTH"
                + " PLAIN/LOGIN, POP3 USER/PASS/AUTH PLAIN and IMAP LOGIN/AUTHENTICATE PLAIN (" + known.size()
                + " each); SMTP AUTH PLAIN failure median existing=" + median(knownMillis) + " ms unknown=" + median(unknownMillis)
                + " ms (" + TIMING_SAMPLES + " each, all " + knownMillis + " / " + unknownMillis + "); in process, Argon2id"
                + " (m=19456,t=2,p=1) median verify=" + median(verifyMicros) / 1000.0 + " ms dummy=" + median(dummyMicros) / 1000.0
                + " ms (" + TIMING_SAMPLES + " each)");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void oneAddressGuessingIsSlowedDown() throws Exception {
        InetAddress from = nextAddress();
        List<Long> millis = new ArrayList<>();
        try (SmtpClient c = guesser.submissions(from)) {
            for (int i = 0; i < 4; i++) {
                long start = System.nanoTime();
                assertThat(c.authPlain("guess" + i + "@example.test", "wrong").code()).isEqualTo(535);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        // the delay doubles from 1 s with each earlier failure, up to auth.max_delay_s: lower bounds only,
        // so a slow machine cannot break them
        assertThat(millis.get(1)).as("answer to the 2nd failure from one address, ms").isGreaterThanOrEqualTo(950);
        assertThat(millis.get(2)).as("answer to the 3rd failure from one address, ms").isGreaterThanOrEqualTo(1_950);
        assertThat(millis.get(3)).as("answer to the 4th failure from one address, ms").isGreaterThanOrEqualTo(1_950);
        Figures.record("auth one address", "answer times of 4 failures in ms=" + millis);
    }

    @Test
    void aLoginGuessedFromManyAddressesIsLockedInEveryFormAndOnEveryProtocol() throws Exception {
        // a login form the guesser picks, then the forms the owner might use afterwards
        String[][] cases = {
            {"carol@example.test", "carol@example.test"},
            {"EXAMPLE\\dave", "dave@example.test"},
            {"example.test\\erin", "erin@example.test"},
            {"frank", "frank@example.test"},
        };
        for (String[] c : cases) {
            String guessed = c[0];
            String canonical = c[1];
            for (int i = 0; i < LOGIN_FAILURES_TO_LOCK; i++) {
                assertThat(guesser.smtpPlain(guessed, "guess " + i)).startsWith("535 ");
            }
            // locked even for the right password, in every form, on both protocols; and a wrong password gets
            // the very same answer, so guessing on during the lockout tells nothing
            assertThat(guesser.smtpPlain(guessed, PASSWORD)).as("SMTP, right password, as " + guessed).startsWith("454 4.7.0");
            assertThat(guesser.smtpPlain(canonical, PASSWORD)).as("SMTP, right password, as " + canonical).startsWith("454 4.7.0");
            assertThat(guesser.smtpPlain(canonical, "wrong")).as("SMTP, wrong password").isEqualTo(guesser.smtpPlain(canonical, PASSWORD));
            List<String> pop3Right = guesser.pop3UserPass(canonical, PASSWORD);
            assertThat(pop3Right.getLast()).as("POP3, right password, " + canonical).startsWith("-ERR");
            assertThat(guesser.pop3UserPass(canonical, "wrong")).as("POP3, wrong password").isEqualTo(pop3Right);
            String pop3Sasl = guesser.pop3Plain(canonical, PASSWORD);
            assertThat(pop3Sasl).as("POP3 AUTH PLAIN, right password").startsWith("-ERR");
            assertThat(guesser.pop3Plain(canonical, "wrong")).as("POP3 AUTH PLAIN, wrong password").isEqualTo(pop3Sasl);
            String imap = guesser.imapLogin(canonical, PASSWORD);
            assertThat(imap).as("IMAP LOGIN, right password").startsWith("NO [UNAVAILABLE]");
            assertThat(guesser.imapLogin(canonical, "wrong")).as("IMAP LOGIN, wrong password").isEqualTo(imap);
            assertThat(guesser.imapPlain(canonical, PASSWORD)).as("IMAP AUTHENTICATE PLAIN, right password").isEqualTo(imap);
            assertThat(guesser.imapPlain(canonical, "wrong")).as("IMAP AUTHENTICATE PLAIN, wrong password").isEqualTo(imap);
        }
        // an unknown login locks the same way, so the lockout does not reveal which accounts exist
        for (int i = 0; i < LOGIN_FAILURES_TO_LOCK; i++) {
            guesser.smtpPlain("nobody.else@example.test", "guess " + i);
        }
        assertThat(guesser.smtpPlain("nobody.else@example.test", "one more guess")).isEqualTo(guesser.smtpPlain("frank@example.test", "wrong"));
        // and nobody else is locked out
        assertThat(guesser.smtpPlain("grace@example.test", PASSWORD)).startsWith("235 ");
        Figures.record("auth many addresses", cases.length + " logins guessed " + LOGIN_FAILURES_TO_LOCK
                +  " times from as many addresses: all locked on SMTP, POP3 and IMAP in every login form; right and wrong"
                + " passwords answered alike during the lockout");
    }

    /** A guesser gets no fresh budget by switching between SMTP, POP3 and IMAP. */
    @Test
    void failuresCountAcrossProtocols() throws Exception {
        for (int i = 0; i < 3; i++) {
            guesser.smtpPlain("bob@example.test", "guess " + i);
            guesser.pop3UserPass("bob@example.test", "guess " + i);
            if (i < 2) {
                guesser.imapLogin("bob@example.test", "guess " + i);
            }
        }
        assertThat(guesser.smtpPlain("bob@example.test", PASSWORD)).as("SMTP after 3 SMTP, 3 POP3 and 2 IMAP failures")
                .startsWith("454 4.7.0");
        assertThat(String.join(" / ", guesser.pop3UserPass("bob@example.test", PASSWORD))).as("POP3 after them")
                .doesNotContain("+OK maildrop");
        assertThat(guesser.imapLogin("bob@example.test", PASSWORD)).as("IMAP after them").startsWith("NO [UNAVAILABLE]");
        Figures.record("auth across protocols", "3 SMTP + 3 POP3 + 2 IMAP failures lock the login on all three");
    }

    /**
     * A known and an unknown login put through the same brute force — every login form, mixed letter case,
     * from one address and from many — on a server whose lockout is short enough to see it end: the answers
     * are the same sequence, the lockout holds for the right password, and the owner logs in once it ends.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SameBruteForceKnownAndUnknown {

        private static final int LIMIT = 4;
        private static final int LOCKOUT_S = 8;
        private static final List<String> PROTOCOLS = List.of("smtp", "pop3", "imap");

        private Path shortDir;
        private ServerProcess shortServer;
        private Guesser g;
        private long lastLockNanos;

        @BeforeAll
        void start() throws Exception {
            shortDir = Files.createTempDirectory("mailwarden-auth-lockout");
            TestServerConfig cfg = TestServerConfig.write(shortDir, EnumSet.of(ListenerRole.SUBMISSIONS, ListenerRole.POP3S,
                    ListenerRole.IMAPS), null, 1000, 50);
            try (Store store = Stores.open(cfg.storage())) {
                store.domains().add("example.test", "EXAMPLE");
                store.settings().set("auth.max_failures_per_account", String.valueOf(LIMIT));
                store.settings().set("auth.max_failures_per_ip", "50");
                store.settings().set("auth.max_delay_s", "1");
                store.settings().set("auth.lockout_s", String.valueOf(LOCKOUT_S));
                StoredPassword pw = StoredPassword.derive(new PasswordHasher(), PASSWORD);
                for (String protocol : PROTOCOLS) {
                    for (String way : List.of("one", "many")) {
                        store.accounts().add(protocol + way, "example.test", pw.passwordHash(), pw.scramSha256());
                    }
                }
                store.accounts().add("salty", "example.test", pw.passwordHash(), pw.scramSha256());
            }
            shortServer = ServerProcess.start(cfg, shortDir.resolve("serve.log"));
            g = new Guesser(cfg);
        }

        @AfterAll
        void stop() {
            if (shortServer != null) {
                shortServer.close();
            }
        }

        @Test
        void answersAreTheSameSequenceTheLockoutHoldsAndEndsOnEveryProtocol() throws Exception {
            List<String> figures = new ArrayList<>();
            for (String protocol : PROTOCOLS) {
                for (boolean oneAddress : List.of(true, false)) {
                    String way = oneAddress ? "one" : "many";
                    List<String> known = bruteForce(protocol, protocol + way, oneAddress);
                    List<String> unknown = bruteForce(protocol, "ghost" + protocol + way, oneAddress);
                    assertThat(known).as(protocol + ", from " + way + " address(es): known against unknown").isEqualTo(unknown);
                    List<String> finals = known.stream().map(a -> a.substring(a.lastIndexOf(" / ") + 1)).map(a -> a.startsWith("/ ") ? a.substring(2) : a).toList();
                    String locked = finals.get(LIMIT);
                    assertThat(finals.subList(0, LIMIT)).as(protocol + " failures before the lockout").doesNotContain(locked);
                    assertThat(finals.subList(LIMIT, finals.size())).as(protocol + " during the lockout, the last with the right password")
                            .containsOnly(locked);
                    assertThat(locked).as(protocol + " lockout answer").containsAnyOf("454 4.7.0", "-ERR [AUTH] too many", "NO [UNAVAILABLE]");
                    figures.add(protocol + "/" + way + ": " + known.size() + " answers alike, locked from attempt " + (LIMIT + 1));
                }
            }
            long waitMillis = (lastLockNanos - System.nanoTime()) / 1_000_000 + LOCKOUT_S * 1000L + 1000;
            if (waitMillis > 0) {
                Thread.sleep(waitMillis);
            }
            for (String way : List.of("one", "many")) {
                assertThat(g.smtpPlain("SMTP" + way + "@Example.Test", PASSWORD)).as("SMTP after the lockout").startsWith("235 ");
                assertThat(g.pop3UserPass("example\\Pop3" + way, PASSWORD).getLast()).as("POP3 after the lockout").startsWith("+OK");
                assertThat(g.imapLogin("IMAP" + way, PASSWORD)).as("IMAP after the lockout").startsWith("OK ");
            }
            Figures.record("auth same brute force", "known and unknown logins, " + LIMIT + " wrong passwords in mixed forms and"
                    + " case, 2 more and the right one during the lockout: " + String.join("; ", figures)
                    + "; owners logged in again " + LOCKOUT_S + " s after the lockout began");
        }

        /** {@code LIMIT} wrong passwords, two more, then the right one: the answers, one string each (replies joined by " / "). */
        private List<String> bruteForce(String protocol, String user, boolean oneAddress) throws IOException {
            InetAddress one = nextAddress();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < LIMIT + 3; i++) {
                String login = form(user, i);
                String password = i == LIMIT + 2 ? PASSWORD : "wrong " + i;
                InetAddress from = oneAddress ? one : nextAddress();
                boolean sasl = i % 2 == 1;
                answers.add(switch (protocol) {
                    case "smtp" -> sasl ? String.join(" / ", g.smtpLogin(login, password, from)) : g.smtpPlain(login, password, from);
                    case "pop3" -> sasl ? g.pop3Plain(login, password, from) : String.join(" / ", g.pop3UserPass(login, password, from));
                    default -> sasl ? g.imapPlain(login, password, from) : g.imapLogin(login, password, from);
                });
                if (i == LIMIT - 1) {
                    lastLockNanos = System.nanoTime();
                }
            }
            return answers;
        }

        /** SCRAM shows one salt per name, in every form and case and on every protocol, whether or not it exists. */
        @Test
        void scramShowsOneSaltPerNameWhetherOrNotItExists() throws Exception {
            for (String user : List.of("salty", "nosalt")) {
                List<String> salts = new ArrayList<>();
                for (String protocol : PROTOCOLS) {
                    for (int form = 0; form < 4; form++) {
                        salts.add(g.scramSalt(protocol, form(user, form)));
                    }
                }
                assertThat(salts).as(user).containsOnly(salts.getFirst());
                assertThat(salts.getFirst()).as(user).matches("s=[A-Za-z0-9+/]{22}==,i=10000");
            }
            Figures.record("auth scram salts", "SCRAM-SHA-256 server-first for an existing and an unknown name: one salt"
                    + " each across 4 login forms x SMTP/POP3/IMAP, both i=10000");
        }

        /** The i-th spelling of {@code user}: the four forms in turn, in mixed letter case. */
        private static String form(String user, int i) {
            String u = i % 3 == 0 ? user.toUpperCase(Locale.ROOT) : i % 3 == 1 ? Character.toUpperCase(user.charAt(0)) + user.substring(1) : user;
            return switch (i % 4) {
                case 0 -> u + "@example.test";
                case 1 -> "EXAMPLE\\" + u;
                case 2 -> "Example.TEST\\" + u;
                default -> u;
            };
        }
    }

    /** The ways a guesser tries a password on one server, each over a fresh connection (from a fresh address unless given). */
    record Guesser(TestServerConfig config) {

        /** AUTH PLAIN over submissions from a fresh address; the final reply line. */
        String smtpPlain(String login, String password) throws IOException {
            return smtpPlain(login, password, nextAddress());
        }

        String smtpPlain(String login, String password, InetAddress from) throws IOException {
            try (SmtpClient c = submissions(from)) {
                return c.authPlain(login, password).last();
            }
        }

        /** AUTH LOGIN over submissions from a fresh address; every reply of the exchange. */
        List<String> smtpLogin(String login, String password) throws IOException {
            return smtpLogin(login, password, nextAddress());
        }

        List<String> smtpLogin(String login, String password, InetAddress from) throws IOException {
            try (SmtpClient c = submissions(from)) {
                List<String> replies = new ArrayList<>();
                replies.add(c.command("AUTH LOGIN").last());
                replies.add(c.command(base64(login)).last());
                replies.add(c.command(base64(password)).last());
                return replies;
            }
        }

        List<String> pop3UserPass(String login, String password) throws IOException {
            return pop3UserPass(login, password, nextAddress());
        }

        List<String> pop3UserPass(String login, String password, InetAddress from) throws IOException {
            try (Pop3Client c = Pop3Client.openTls(config.address(ListenerRole.POP3S), from)) {
                return List.of(c.command("USER " + login), c.command("PASS " + password));
            }
        }

        String pop3Plain(String login, String password) throws IOException {
            return pop3Plain(login, password, nextAddress());
        }

        String pop3Plain(String login, String password, InetAddress from) throws IOException {
            try (Pop3Client c = Pop3Client.openTls(config.address(ListenerRole.POP3S), from)) {
                return c.command("AUTH PLAIN " + base64("\0" + login + "\0" + password));
            }
        }

        /** IMAP LOGIN over IMAPS from a fresh address; the tagged answer. */
        String imapLogin(String login, String password) throws IOException {
            return imapLogin(login, password, nextAddress());
        }

        String imapLogin(String login, String password, InetAddress from) throws IOException {
            try (ImapClient c = ImapClient.openTls(config.address(ListenerRole.IMAPS), from)) {
                return c.command("LOGIN " + ImapClient.quote(login) + " " + ImapClient.quote(password)).tagged();
            }
        }

        /** IMAP AUTHENTICATE PLAIN with an initial response (SASL-IR) over IMAPS; the tagged answer. */
        String imapPlain(String login, String password) throws IOException {
            return imapPlain(login, password, nextAddress());
        }

        String imapPlain(String login, String password, InetAddress from) throws IOException {
            try (ImapClient c = ImapClient.openTls(config.address(ListenerRole.IMAPS), from)) {
                return c.command("AUTHENTICATE PLAIN " + base64("\0" + login + "\0" + password)).tagged();
            }
        }

        /**
         * The salt and iteration count SCRAM-SHA-256 shows for {@code login} ({@code s=...,i=...}), from a
         * fresh address over SMTP AUTH, POP3 AUTH or IMAP AUTHENTICATE; the exchange is then cancelled.
         */
        String scramSalt(String protocol, String login) throws IOException {
            String first = base64("n,,n=" + login + ",r=guessernonce");
            String serverFirst = switch (protocol) {
                case "smtp" -> {
                    try (SmtpClient c = submissions(nextAddress())) {
                        String reply = c.command("AUTH SCRAM-SHA-256 " + first).last();
                        c.command("*");
                        yield reply.startsWith("334 ") ? reply.substring(4) : reply;
                    }
                }
                case "pop3" -> {
                    try (Pop3Client c = Pop3Client.openTls(config.address(ListenerRole.POP3S), nextAddress())) {
                        String reply = c.command("AUTH SCRAM-SHA-256 " + first);
                        c.command("*");
                        yield reply.startsWith("+ ") ? reply.substring(2) : reply;
                    }
                }
                default -> {
                    try (ImapClient c = ImapClient.openTls(config.address(ListenerRole.IMAPS), nextAddress())) {
                        String reply = c.start("AUTHENTICATE SCRAM-SHA-256 " + first);
                        c.answer("*");
                        yield reply.startsWith("+ ") ? reply.substring(2) : reply;
                    }
                }
            };
            String decoded = new String(Base64.getDecoder().decode(serverFirst), StandardCharsets.UTF_8);
            return decoded.substring(decoded.indexOf(",s=") + 1);
        }

        SmtpClient submissions(InetAddress from) throws IOException {
            SmtpClient c = SmtpClient.connect(config.address(ListenerRole.SUBMISSIONS), true, from, Duration.ofSeconds(60));
            assertThat(c.reply().code()).isEqualTo(220);
            c.ehlo("guesser.test");
            return c;
        }

        static String base64(String s) {
            return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A client address no earlier attempt came from: 127.40.x.y. */
    private static InetAddress nextAddress() throws UnknownHostException {
        int n = NEXT_ADDRESS.incrementAndGet();
        return InetAddress.getByAddress(new byte[] {127, 40, (byte) (n / 250), (byte) (1 + n % 250)});
    }

}
