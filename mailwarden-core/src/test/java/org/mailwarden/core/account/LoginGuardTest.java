package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.sasl.SaslMechanism;
import org.mailwarden.core.sasl.SaslStep;

/**
 * The one login policy, driven like a guesser drives it: a known and an unknown name put through the same
 * brute force in every form and letter case get the same answers, and a lockout holds for the right
 * password with the wrong password's answer, then ends on time.
 */
class LoginGuardTest {

    private static final String PASSWORD = "right password";
    private static final int LOGIN_LIMIT = 4;

    /** example.test (short name EXAMPLE) is the only domain; alice is its only account. */
    static final class OneDomain implements AccountDirectory {
        final Credentials alice = new Credentials(1, "alice@example.test", PasswordHasherTest.FAST.hash(PASSWORD),
                ScramCredentials.derive(PASSWORD).serialize(), true);

        @Override
        public Optional<Credentials> byAddress(String localPart, String domain) {
            return (localPart + "@" + domain).equals(alice.address()) ? Optional.of(alice) : Optional.empty();
        }

        @Override
        public Optional<String> domainForShortName(String shortName) {
            return shortName.equalsIgnoreCase("example") ? Optional.of("example.test") : Optional.empty();
        }

        @Override
        public List<Credentials> byLocalPart(String localPart) {
            return localPart.equals("alice") ? List.of(alice) : List.of();
        }

        @Override
        public Optional<String> onlyDomain() {
            return Optional.of("example.test");
        }

        @Override
        public byte[] standInSecret() {
            return "thirty-two bytes of stand-in key".getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final AuthThrottleTest.ManualClock clock = new AuthThrottleTest.ManualClock();
    private final LoginGuard guard = new LoginGuard(new Authenticator(new OneDomain(), PasswordHasherTest.FAST),
            new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(10), 1000, LOGIN_LIMIT, Duration.ZERO, Duration.ZERO,
                    Duration.ofMinutes(15), 1000), clock));
    private int nextAddress;

    /** One guess: the form the name is typed in, its letter case, and the command that carries it. */
    record Guess(int form, long caseSeed, int command, boolean sameAddress) {
    }

    @Provide
    Arbitrary<List<Guess>> bruteForce() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs(), Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false)).as(Guess::new).list().ofMinSize(1).ofMaxSize(3 * LOGIN_LIMIT);
    }

    @Property(tries = 60)
    void aKnownAndAnUnknownNameGetTheSameAnswers(@ForAll("bruteForce") List<Guess> guesses) throws Exception {
        assertThat(run(new LoginGuardTest(), "alice", guesses)).isEqualTo(run(new LoginGuardTest(), "nobody", guesses));
    }

    private static List<String> run(LoginGuardTest t, String user, List<Guess> guesses) throws Exception {
        List<String> answers = new ArrayList<>();
        InetAddress from = t.address();
        for (Guess g : guesses) {
            from = g.sameAddress() ? from : t.address();
            String login = mixCase(form(user, g.form()), g.caseSeed());
            LoginGuard.Outcome outcome = switch (g.command()) {
                case 0 -> t.guard.password(from, login, "wrong");
                case 1 -> t.plain(from, login, "wrong");
                default -> t.scram(from, login).outcome();
            };
            answers.add(describe(outcome));
        }
        return answers;
    }

    @Test
    void aLockedLoginIsRefusedForTheRightPasswordAsForAWrongOneUntilTheLockoutEnds() throws Exception {
        for (int i = 0; i < LOGIN_LIMIT; i++) {
            assertThat(describe(guard.password(address(), form("alice", i), "guess " + i))).isEqualTo("refused");
        }
        for (int form = 0; form < 4; form++) {
            String login = mixCase(form("alice", form), form * 37L);
            assertThat(describe(guard.password(address(), login, PASSWORD))).as(login).isEqualTo("locked");
            assertThat(describe(guard.password(address(), login, "wrong"))).as(login).isEqualTo("locked");
            assertThat(describe(plain(address(), login, PASSWORD))).as(login).isEqualTo("locked");
            assertThat(describe(scram(address(), login).outcome())).as(login).isEqualTo("locked");
        }
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(guard.password(address(), "ALICE", PASSWORD)).isInstanceOf(LoginGuard.Outcome.Success.class);
    }

    @Test
    void scramShowsOneSaltPerNameInEveryFormWhetherOrNotItExists() throws Exception {
        for (String user : List.of("alice", "nobody")) {
            List<String> salts = new ArrayList<>();
            for (int form = 0; form < 4; form++) {
                salts.add(scram(address(), mixCase(form(user, form), form)).saltAndIterations());
            }
            assertThat(salts).as(user).containsOnly(salts.getFirst());
            assertThat(salts.getFirst()).as(user).matches("s=[A-Za-z0-9+/]{22}==,i=10000");
        }
    }

    private static String form(String user, int form) {
        return switch (form % 4) {
            case 0 -> user + "@example.test";
            case 1 -> "EXAMPLE\\" + user;
            case 2 -> "example.test\\" + user;
            default -> user;
        };
    }

    private static String describe(LoginGuard.Outcome outcome) {
        return switch (outcome) {
            case LoginGuard.Outcome.Success s -> "ok";
            case LoginGuard.Outcome.Refused r -> r.locked() ? "locked" : "refused";
        };
    }

    private LoginGuard.Outcome plain(InetAddress from, String login, String password) {
        Optional<LoginGuard.Outcome.Refused> locked = guard.admit(from);
        if (locked.isPresent()) {
            return locked.get();
        }
        SaslMechanism m = guard.mechanism("PLAIN").orElseThrow();
        return guard.saslFinished(from, m.start(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A SCRAM exchange with a made-up proof; what the server showed and how it ended. */
    record Scram(String saltAndIterations, LoginGuard.Outcome outcome) {
    }

    private Scram scram(InetAddress from, String login) {
        SaslMechanism m = guard.mechanism("SCRAM-SHA-256").orElseThrow();
        String first = new String(((SaslStep.Challenge) m.start(("n,,n=" + login + ",r=clientnonce").getBytes(StandardCharsets.UTF_8)))
                .data(), StandardCharsets.UTF_8);
        String nonce = first.substring(2, first.indexOf(','));
        SaslStep end = m.step(("c=biws,r=" + nonce + ",p=" + "A".repeat(43) + "=").getBytes(StandardCharsets.UTF_8));
        return new Scram(first.substring(first.indexOf(",s=") + 1), guard.saslFinished(from, end));
    }

    private InetAddress address() throws UnknownHostException {
        int n = ++nextAddress;
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (n / 250), (byte) (1 + n % 250)});
    }

    private static String mixCase(String s, long seed) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append((seed >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }
}
