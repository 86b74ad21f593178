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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
            for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "timing0", "timing1",
                    "timing2")) {
                store.accounts().add(user, "example.test", pw.passwordHash(), pw.scramSha256());
            }
        }
        server = ServerProcess.start(config, dir.resolve("serve.log"));
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
            known.add(smtpPlain("alice@example.test", "wrong " + i));
            unknown.add(smtpPlain("nobody@example.test", "wrong " + i));
            known.add(String.join(" / ", smtpLogin("EXAMPLE\\alice", "wrong " + i)));
            unknown.add(String.join(" / ", smtpLogin("EXAMPLE\\nobody", "wrong " + i)));
            known.add(String.join(" / ", pop3UserPass("alice@example.test", "wrong " + i)));
            unknown.add(String.join(" / ", pop3UserPass("nobody@example.test", "wrong " + i)));
            known.add(pop3Plain("alice", "wrong " + i));
            unknown.add(pop3Plain("nobody", "wrong " + i));
            known.add(imapLogin("alice@example.test", "wrong " + i));
            unknown.add(imapLogin("nobody@example.test", "wrong " + i));
            known.add(imapPlain("alice", "wrong " + i));
            unknown.add(imapPlain("nobody", "wrong " + i));
        }
        assertThat(known).as("answers for an existing account").isEqualTo(unknown);
        assertThat(known.getFirst()).startsWith("535 5.7.8");
        // how long a failure takes, existing against unknown accounts, alternating: recorded, not asserted
        List<Long> knownMillis = new ArrayList<>();
        List<Long> unknownMillis = new ArrayList<>();
        for (int i = 0; i < TIMING_SAMPLES; i++) {
            boolean knownFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean measureKnown = knownFirst == (k == 0);
                long start = System.nanoTime();
                smtpPlain(measureKnown ? "timing" + (i % 3) + "@example.test" : "absent" + i + "@example.test", "wrong");
                (measureKnown ? knownMillis : unknownMillis).add((System.nanoTime() - start) / 1_000_000);
            }
        }
        Figures.record("auth enumeration", "identical answers for existing and unknown accounts over SMTP AUTH"
                + " PLAIN/LOGIN, POP3 USER/PASS/AUTH PLAIN and IMAP LOGIN/AUTHENTICATE PLAIN (" + known.size()
                + " each); SMTP AUTH PLAIN failure median existing=" + median(knownMillis) + " ms unknown=" + median(unknownMillis) + " ms (" + TIMING_SAMPLES + " each)");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void oneAddressGuessingIsSlowedDown() throws Exception {
        InetAddress guesser = nextAddress();
        List<Long> millis = new ArrayList<>();
        try (SmtpClient c = submissions(guesser)) {
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
                assertThat(smtpPlain(guessed, "guess " + i)).startsWith("535 ");
            }
            // locked even for the right password, in every form, on both protocols; and a wrong password gets
            // the very same answer, so guessing on during the lockout tells nothing
            assertThat(smtpPlain(guessed, PASSWORD)).as("SMTP, right password, as " + guessed).startsWith("454 4.7.0");
            assertThat(smtpPlain(canonical, PASSWORD)).as("SMTP, right password, as " + canonical).startsWith("454 4.7.0");
            assertThat(smtpPlain(canonical, "wrong")).as("SMTP, wrong password").isEqualTo(smtpPlain(canonical, PASSWORD));
            List<String> pop3Right = pop3UserPass(canonical, PASSWORD);
            assertThat(pop3Right.getLast()).as("POP3, right password, " + canonical).startsWith("-ERR");
            assertThat(pop3UserPass(canonical, "wrong")).as("POP3, wrong password").isEqualTo(pop3Right);
            String pop3Sasl = pop3Plain(canonical, PASSWORD);
            assertThat(pop3Sasl).as("POP3 AUTH PLAIN, right password").startsWith("-ERR");
            assertThat(pop3Plain(canonical, "wrong")).as("POP3 AUTH PLAIN, wrong password").isEqualTo(pop3Sasl);
            String imap = imapLogin(canonical, PASSWORD);
            assertThat(imap).as("IMAP LOGIN, right password").startsWith("NO [UNAVAILABLE]");
            assertThat(imapLogin(canonical, "wrong")).as("IMAP LOGIN, wrong password").isEqualTo(imap);
            assertThat(imapPlain(canonical, PASSWORD)).as("IMAP AUTHENTICATE PLAIN, right password").isEqualTo(imap);
            assertThat(imapPlain(canonical, "wrong")).as("IMAP AUTHENTICATE PLAIN, wrong password").isEqualTo(imap);
        }
        // an unknown login locks the same way, so the lockout does not reveal which accounts exist
        for (int i = 0; i < LOGIN_FAILURES_TO_LOCK; i++) {
            smtpPlain("nobody.else@example.test", "guess " + i);
        }
        assertThat(smtpPlain("nobody.else@example.test", "one more guess")).isEqualTo(smtpPlain("frank@example.test", "wrong"));
        // and nobody else is locked out
        assertThat(smtpPlain("grace@example.test", PASSWORD)).startsWith("235 ");
        Figures.record("auth many addresses", cases.length + " logins guessed " + LOGIN_FAILURES_TO_LOCK
                +  " times from as many addresses: all locked on SMTP, POP3 and IMAP in every login form; right and wrong"
                + " passwords answered alike during the lockout");
    }

    /** A guesser gets no fresh budget by switching between SMTP, POP3 and IMAP. */
    @Test
    void failuresCountAcrossProtocols() throws Exception {
        for (int i = 0; i < 3; i++) {
            smtpPlain("bob@example.test", "guess " + i);
            pop3UserPass("bob@example.test", "guess " + i);
            if (i < 2) {
                imapLogin("bob@example.test", "guess " + i);
            }
        }
        assertThat(smtpPlain("bob@example.test", PASSWORD)).as("SMTP after 3 SMTP, 3 POP3 and 2 IMAP failures")
                .startsWith("454 4.7.0");
        assertThat(String.join(" / ", pop3UserPass("bob@example.test", PASSWORD))).as("POP3 after them")
                .doesNotContain("+OK maildrop");
        assertThat(imapLogin("bob@example.test", PASSWORD)).as("IMAP after them").startsWith("NO [UNAVAILABLE]");
        Figures.record("auth across protocols", "3 SMTP + 3 POP3 + 2 IMAP failures lock the login on all three");
    }

    /** AUTH PLAIN over submissions from a fresh address; the final reply line. */
    private static String smtpPlain(String login, String password) throws IOException {
        try (SmtpClient c = submissions(nextAddress())) {
            return c.authPlain(login, password).last();
        }
    }

    /** AUTH LOGIN over submissions from a fresh address; every reply of the exchange. */
    private static List<String> smtpLogin(String login, String password) throws IOException {
        try (SmtpClient c = submissions(nextAddress())) {
            List<String> replies = new ArrayList<>();
            replies.add(c.command("AUTH LOGIN").last());
            replies.add(c.command(base64(login)).last());
            replies.add(c.command(base64(password)).last());
            return replies;
        }
    }

    private static List<String> pop3UserPass(String login, String password) throws IOException {
        try (Pop3Client c = Pop3Client.openTls(config.address(ListenerRole.POP3S), nextAddress())) {
            return List.of(c.command("USER " + login), c.command("PASS " + password));
        }
    }

    private static String pop3Plain(String login, String password) throws IOException {
        try (Pop3Client c = Pop3Client.openTls(config.address(ListenerRole.POP3S), nextAddress())) {
            return c.command("AUTH PLAIN " + base64("\0" + login + "\0" + password));
        }
    }

    /** IMAP LOGIN over IMAPS from a fresh address; the tagged answer. */
    private static String imapLogin(String login, String password) throws IOException {
        try (ImapClient c = ImapClient.openTls(config.address(ListenerRole.IMAPS), nextAddress())) {
            return c.command("LOGIN " + ImapClient.quote(login) + " " + ImapClient.quote(password)).tagged();
        }
    }

    /** IMAP AUTHENTICATE PLAIN with an initial response (SASL-IR) over IMAPS; the tagged answer. */
    private static String imapPlain(String login, String password) throws IOException {
        try (ImapClient c = ImapClient.openTls(config.address(ListenerRole.IMAPS), nextAddress())) {
            return c.command("AUTHENTICATE PLAIN " + base64("\0" + login + "\0" + password)).tagged();
        }
    }

    private static SmtpClient submissions(InetAddress from) throws IOException {
        SmtpClient c = SmtpClient.connect(config.address(ListenerRole.SUBMISSIONS), true, from, Duration.ofSeconds(60));
        assertThat(c.reply().code()).isEqualTo(220);
        c.ehlo("guesser.test");
        return c;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A client address no earlier attempt came from: 127.40.x.y. */
    private static InetAddress nextAddress() throws UnknownHostException {
        int n = NEXT_ADDRESS.incrementAndGet();
        return InetAddress.getByAddress(new byte[] {127, 40, (byte) (n / 250), (byte) (1 + n % 250)});
    }

}
