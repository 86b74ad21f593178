package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.ConnectionLimits;

/**
 * Limits over real sockets: connections per client address, the idle timeout, the failed-command limit,
 * AUTH failure throttling per address, and AUTH switched off on the MTA port.
 */
class LimitsE2ETest {

    @TempDir
    static Path dir;
    static SmtpServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(15), 3, 3, Duration.ZERO,
                Duration.ZERO, Duration.ofMinutes(15), 1000), Clock.systemUTC());
        server = new SmtpServerFixture(dir, Map.of("smtp.command_timeout_s", "2", "smtp.error_hard_limit", "4",
                "smtp.auth_on_mta", "off"), throttle, new ConnectionLimiter(new ConnectionLimits(100, 2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aThirdConnectionFromOneAddressIsTurnedAway() throws Exception {
        try (WireClient a = server.connect("127.0.0.40"); WireClient b = server.connect("127.0.0.40");
             WireClient c = new WireClient("127.0.0.40", server.port(ListenerRole.SMTP))) {
            assertThat(c.read().toString()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
            try (WireClient other = server.connect("127.0.0.41")) {
                assertThat(other.cmd("NOOP").code()).isEqualTo(250);
            }
            assertThat(a.cmd("NOOP").code()).isEqualTo(250);
            assertThat(b.cmd("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void aSilentClientIsDisconnectedWith421() throws Exception {
        try (WireClient c = server.connect("127.0.0.42")) {
            c.cmd("EHLO slow.client");
            assertThat(c.read().toString()).startsWith("421 4.4.2"); // we send nothing and wait
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void tooManyFailedCommandsEndTheSession() throws Exception {
        try (WireClient c = server.connect("127.0.0.43")) {
            assertThat(c.cmd("XYZZY").code()).isEqualTo(500);
            assertThat(c.cmd("MAIL FROM:<a@remote.example>").code()).isEqualTo(503);
            assertThat(c.cmd("VRFY").code()).isEqualTo(501);
            assertThat(c.cmd("EXPN list").toString()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void repeatedAuthFailuresLockTheClientAddress() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(auth("127.0.0.44", "nobody" + i + "@local.test", "guess")).startsWith("535 5.7.8");
        }
        assertThat(auth("127.0.0.44", "alice@local.test", SmtpServerFixture.PASSWORD)).startsWith("454 4.7.0");
        assertThat(auth("127.0.0.45", "alice@local.test", SmtpServerFixture.PASSWORD)).startsWith("235 2.7.0");
    }

    @Test
    void authCanBeSwitchedOffOnTheMtaPort() throws Exception {
        try (WireClient c = server.connect("127.0.0.46")) {
            c.startTls("mta.client");
            assertThat(c.cmd("EHLO mta.client").text()).doesNotContain("AUTH");
            assertThat(c.cmd("AUTH PLAIN AGFsaWNlAHg=").toString()).startsWith("502 5.5.1");
        }
    }

    private static String auth(String clientIp, String user, String password) throws Exception {
        try (WireClient c = server.connect(clientIp, ListenerRole.SUBMISSION)) {
            c.startTls("laptop");
            c.cmd("EHLO laptop");
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes());
            return c.cmd("AUTH PLAIN " + plain).toString();
        }
    }
}
