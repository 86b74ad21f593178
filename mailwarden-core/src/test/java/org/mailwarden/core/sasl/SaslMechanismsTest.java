package org.mailwarden.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.account.AccountDirectory;
import org.mailwarden.core.account.AuthResult;
import org.mailwarden.core.account.AuthResult.Failure.Reason;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.ScramCredentials;

class SaslMechanismsTest {

    static final PasswordHasher FAST = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    /** "user@example.test" with password "pencil" (the RFC 7677 example), a disabled account, one without SCRAM keys. */
    static final class Directory implements AccountDirectory {
        final List<Credentials> all = List.of(
                new Credentials(7, "user@example.test", FAST.hash("pencil"), ScramCredentials.derive("pencil", RFC_SALT, 4096).serialize(), true),
                new Credentials(8, "off@example.test", FAST.hash("pencil"), ScramCredentials.derive("pencil").serialize(), false),
                new Credentials(9, "legacy@example.test", FAST.hash("pencil"), null, true));

        @Override
        public Optional<Credentials> byAddress(String localPart, String domain) {
            return all.stream().filter(c -> c.address().equals(localPart.toLowerCase(Locale.ROOT) + "@" + domain)).findFirst();
        }

        @Override
        public Optional<String> domainForShortName(String shortName) {
            return shortName.equalsIgnoreCase("EXAMPLE") ? Optional.of("example.test") : Optional.empty();
        }

        @Override
        public List<Credentials> byLocalPart(String localPart) {
            return all.stream().filter(c -> c.address().startsWith(localPart.toLowerCase(Locale.ROOT) + "@")).toList();
        }

        @Override
        public Optional<String> onlyDomain() {
            return Optional.of("example.test");
        }

        @Override
        public byte[] standInSecret() {
            return "a stand-in secret of 32 bytes...".getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** user@example.test, logged in as {@code login}. */
    static AuthResult.Success user(String login) {
        return new AuthResult.Success(7, "user@example.test", login);
    }

    private final Authenticator authenticator = new Authenticator(new Directory(), FAST);
    private final SaslMechanisms mechanisms = new SaslMechanisms(authenticator);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(SaslStep step) {
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.UTF_8);
    }

    @Test
    void registryListsAndCreatesMechanisms() {
        assertThat(mechanisms.names()).containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(mechanisms.create("plain")).get().extracting(SaslMechanism::name).isEqualTo("PLAIN");
        assertThat(mechanisms.create("SCRAM-SHA-256-PLUS")).isEmpty();
        assertThat(mechanisms.create("CRAM-MD5")).isEmpty();
        assertThat(mechanisms.create(null)).isEmpty();
    }

    @Test
    void scramReproducesTheRfc7677Example() {
        SaslMechanisms fixed = new SaslMechanisms(authenticator, () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        SaslMechanism m = fixed.create("SCRAM-SHA-256").orElseThrow();
        SaslStep first = m.start(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(s(first)).isEqualTo("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        SaslStep last = m.step(b("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(last).isInstanceOf(SaslStep.Success.class);
        SaslStep.Success ok = (SaslStep.Success) last;
        assertThat(ok.account()).isEqualTo(user("user"));
        assertThat(new String(ok.additionalData(), StandardCharsets.UTF_8)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThatThrownBy(() -> m.step(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void scramRoundTripWithAClientAndEveryLoginForm() {
        for (String login : List.of("user", "user@example.test", "EXAMPLE\\user", "USER@Example.Test")) {
            ScramClient client = new ScramClient(login, "pencil", null);
            SaslMechanism m = mechanisms.create("SCRAM-SHA-256").orElseThrow();
            assertThat(m.start(null)).isInstanceOf(SaslStep.Challenge.class);
            SaslStep serverFirst = m.step(client.first());
            SaslStep result = m.step(client.finalMessage(s(serverFirst)));
            assertThat(result).as(login).isInstanceOf(SaslStep.Success.class);
            assertThat(client.verifyServer(((SaslStep.Success) result).additionalData())).isTrue();
        }
    }

    @Test
    void scramRefusesWrongPasswordsUnknownDisabledAndKeylessAccountsAlike() {
        assertThat(scram("user", "pencil2", null)).isEqualTo(Reason.BAD_PASSWORD);
        assertThat(scram("nobody", "pencil", null)).isEqualTo(Reason.UNKNOWN_USER);
        assertThat(scram("off@example.test", "pencil", null)).isEqualTo(Reason.DISABLED);
        assertThat(scram("legacy@example.test", "pencil", null)).isEqualTo(Reason.BAD_PASSWORD);
        assertThat(scram("user", "pencil", "someone@example.test")).isEqualTo(Reason.AUTHORIZATION_DENIED);
        assertThat(scram("user", "pencil", "user@example.test")).isNull();
    }

    @Test
    void scramUnknownNamesGetAStableFakeSalt() {
        String a = s(mechanisms.create("SCRAM-SHA-256").orElseThrow().start(b("n,,n=nobody,r=abc")));
        String b = s(mechanisms.create("SCRAM-SHA-256").orElseThrow().start(b("n,,n=nobody,r=abc")));
        assertThat(a).matches("r=abc[A-Za-z0-9+/=]+,s=[A-Za-z0-9+/=]{24},i=10000");
        assertThat(a.substring(a.indexOf(",s="))).isEqualTo(b.substring(b.indexOf(",s=")));
    }

    @Test
    void scramRefusesMalformedMessagesAndChannelBinding() {
        for (String bad : List.of("p=tls-unique,,n=user,r=abc", "n,,m=ext,n=user,r=abc", "n,,n=user", "n,,n=us=er,r=abc", "n,x,n=user,r=abc",
                "n,,n=,r=abc", "n,,r=abc,n=user", "", "n,,n=user,r=a,b", "n,a=,n=user,r=abc")) {
            SaslStep step = mechanisms.create("SCRAM-SHA-256").orElseThrow().start(b(bad));
            assertThat(step).as(bad).isInstanceOf(SaslStep.Failure.class);
            assertThat(((SaslStep.Failure) step).failure().reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
        }
        assertThat(mechanisms.create("SCRAM-SHA-256").orElseThrow().start(new byte[] {'n', ',', ',', (byte) 0xff})).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void scramFinalMessageMustEchoNonceAndBinding() {
        ScramClient client = new ScramClient("user", "pencil", null);
        SaslMechanism m = mechanisms.create("SCRAM-SHA-256").orElseThrow();
        String serverFirst = s(m.start(client.first()));
        String good = new String(client.finalMessage(serverFirst), StandardCharsets.UTF_8);
        for (String bad : List.of(good.replace("r=rOpr", "r=XOpr").replaceFirst("r=[^,]+", "r=other"), good.replace("c=biws", "c=eSws"),
                good.substring(0, good.indexOf(",p=")), good.substring(0, good.length() - 8) + "AAAAAAA=")) {
            SaslMechanism again = mechanisms.create("SCRAM-SHA-256").orElseThrow();
            again.start(client.first());
            assertThat(again.step(b(bad))).as(bad).isInstanceOf(SaslStep.Failure.class);
        }
    }

    @Test
    void plainChecksThePasswordAndTheAuthorisationIdentity() {
        assertThat(plain("\0user\0pencil")).isEqualTo(new SaslStep.Success(user("user"), null));
        assertThat(plain("user\0user\0pencil")).isEqualTo(new SaslStep.Success(user("user"), null));
        assertThat(plain("user@example.test\0EXAMPLE\\user\0pencil")).isEqualTo(new SaslStep.Success(user("EXAMPLE\\user"), null));
        assertThat(reason(plain("admin@example.test\0user\0pencil"))).isEqualTo(Reason.AUTHORIZATION_DENIED);
        assertThat(reason(plain("\0user\0wrong"))).isEqualTo(Reason.BAD_PASSWORD);
        assertThat(reason(plain("\0off@example.test\0pencil"))).isEqualTo(Reason.DISABLED);
        for (String bad : List.of("", "user\0pencil", "\0\0pencil", "\0user\0", "\0user\0pencil\0", "\0user\0" + "x".repeat(256))) {
            assertThat(reason(plain(bad))).as(bad).isEqualTo(Reason.MALFORMED_RESPONSE);
        }
        SaslMechanism m = mechanisms.create("PLAIN").orElseThrow();
        assertThat(((SaslStep.Challenge) m.start(null)).data()).isEmpty();
        assertThat(m.step(b("\0user\0pencil"))).isInstanceOf(SaslStep.Success.class);
        assertThatThrownBy(() -> m.step(b("\0user\0pencil"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void loginAsksForNameThenPassword() {
        SaslMechanism m = mechanisms.create("LOGIN").orElseThrow();
        assertThat(s(m.start(null))).isEqualTo("Username:");
        assertThat(s(m.step(b("user@example.test")))).isEqualTo("Password:");
        assertThat(m.step(b("pencil"))).isEqualTo(new SaslStep.Success(user("user@example.test"), null));

        SaslMechanism withInitial = mechanisms.create("LOGIN").orElseThrow();
        assertThat(s(withInitial.start(b("user")))).isEqualTo("Password:");
        assertThat(reason(withInitial.step(b("nope")))).isEqualTo(Reason.BAD_PASSWORD);
        assertThatThrownBy(() -> withInitial.step(b("again"))).isInstanceOf(IllegalStateException.class);

        assertThat(reason(mechanisms.create("LOGIN").orElseThrow().start(new byte[0]))).isEqualTo(Reason.MALFORMED_RESPONSE);
    }

    @Test
    void codecHandlesCancelEmptyAndMalformedLines() {
        assertThat(SaslCodec.isCancel("*")).isTrue();
        assertThat(SaslCodec.isCancel("Kg==")).isFalse();
        assertThat(SaslCodec.decodeInitialResponse("=")).isEmpty();
        assertThat(SaslCodec.decodeResponse("")).isEmpty();
        assertThat(SaslCodec.decodeResponse("AHVzZXIAcGVuY2ls")).isEqualTo(b("\0user\0pencil"));
        assertThat(SaslCodec.encode(b("Username:"))).isEqualTo("VXNlcm5hbWU6");
        assertThat(SaslCodec.encode(new byte[0])).isEmpty();
        for (String bad : List.of("abc", "a b=", "!!!!", "AHVzZXIAcGVuY2ls\r\n", "A".repeat(20000))) {
            assertThatThrownBy(() -> SaslCodec.decodeResponse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private SaslStep plain(String message) {
        return mechanisms.create("PLAIN").orElseThrow().start(b(message));
    }

    private static Reason reason(SaslStep step) {
        return ((SaslStep.Failure) step).failure().reason();
    }

    /** Runs a whole SCRAM exchange; returns null on success, else the failure reason. */
    private Reason scram(String login, String password, String authzid) {
        ScramClient client = new ScramClient(login, password, authzid);
        SaslMechanism m = mechanisms.create("SCRAM-SHA-256").orElseThrow();
        SaslStep first = m.start(client.first());
        SaslStep result = m.step(client.finalMessage(s(first)));
        return result instanceof SaslStep.Failure f ? f.failure().reason() : null;
    }

    /** A minimal RFC 5802 client, written from the RFC independently of the server code. */
    static final class ScramClient {
        private final String login;
        private final String password;
        private final String gs2;
        private final String clientNonce;
        private String authMessage;
        private byte[] saltedPassword;

        ScramClient(String login, String password, String authzid) {
            this.login = login;
            this.password = password;
            this.gs2 = authzid == null ? "n,," : "n,a=" + escape(authzid) + ",";
            byte[] n = new byte[12];
            new SecureRandom().nextBytes(n);
            this.clientNonce = Base64.getEncoder().encodeToString(n);
        }

        private String bare() {
            return "n=" + escape(login) + ",r=" + clientNonce;
        }

        byte[] first() {
            return b(gs2 + bare());
        }

        byte[] finalMessage(String serverFirst) {
            String nonce = null;
            byte[] salt = null;
            int iterations = 0;
            for (String attr : serverFirst.split(",")) {
                switch (attr.charAt(0)) {
                    case 'r' -> nonce = attr.substring(2);
                    case 's' -> salt = Base64.getDecoder().decode(attr.substring(2));
                    case 'i' -> iterations = Integer.parseInt(attr.substring(2));
                    default -> throw new AssertionError(attr);
                }
            }
            assertThat(nonce).startsWith(clientNonce);
            String withoutProof = "c=" + Base64.getEncoder().encodeToString(b(gs2)) + ",r=" + nonce;
            authMessage = bare() + "," + serverFirst + "," + withoutProof;
            try {
                javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
                saltedPassword = f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
                byte[] clientKey = mac(saltedPassword, b("Client Key"));
                byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
                byte[] signature = mac(storedKey, b(authMessage));
                byte[] proof = new byte[32];
                for (int i = 0; i < 32; i++) {
                    proof[i] = (byte) (clientKey[i] ^ signature[i]);
                }
                return b(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        boolean verifyServer(byte[] serverFinal) {
            byte[] serverKey = mac(saltedPassword, b("Server Key"));
            String expected = "v=" + Base64.getEncoder().encodeToString(mac(serverKey, b(authMessage)));
            return expected.equals(new String(serverFinal, StandardCharsets.UTF_8));
        }

        private static byte[] mac(byte[] key, byte[] data) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data);
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        private static String escape(String name) {
            return name.replace("=", "=3D").replace(",", "=2C");
        }
    }
}
