package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.testing.TestStores;

/** The same SMTP service on the cluster store (an embedded PostgreSQL): delivery, relay decisions, rule changes. */
class PostgresE2ETest {

    @TempDir
    static Path dir;
    static SmtpServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = new SmtpServerFixture(TestStores.postgresql(), dir, Map.of(),
                new AuthThrottle(AuthThrottle.Settings.defaults(), Clock.systemUTC()),
                new ConnectionLimiter(ConnectionLimits.DEFAULT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void strangerDeliversAuthenticatedUserRelaysAndRulesFollowTheStore() throws Exception {
        int alice = server.inbox(server.alice).size();
        try (WireClient c = server.connect("127.0.0.60")) {
            c.cmd("EHLO stranger.example");
            c.cmd("MAIL FROM:<x@remote.example>");
            assertThat(c.cmd("RCPT TO:<sales@local.test>").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<u%foreign.test@local.test>").toString()).startsWith("550 5.1.1");
            assertThat(c.cmd("RCPT TO:<u@foreign.test>").toString()).startsWith("554 5.7.1");
            c.cmd("DATA");
            assertThat(c.cmd("Subject: pg\r\n\r\nbody\r\n.").toString()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(server.inbox(server.alice)).hasSize(alice + 1);

        try (WireClient c = server.connect("127.0.0.61", ListenerRole.SUBMISSION)) {
            c.startTls("laptop");
            c.cmd("EHLO laptop");
            String plain = Base64.getEncoder().encodeToString(("\0LOCAL\\bob\0" + SmtpServerFixture.PASSWORD).getBytes());
            assertThat(c.cmd("AUTH PLAIN " + plain).code()).isEqualTo(235);
            c.cmd("MAIL FROM:<bob@local.test>");
            assertThat(c.cmd("RCPT TO:<far@foreign.test>").code()).isEqualTo(250);
            c.cmd("DATA");
            String reply = c.cmd("Subject: out\r\n\r\nbody\r\n.").toString();
            assertThat(server.store.queue().find(reply.substring(reply.lastIndexOf(' ') + 1))).isPresent();
        }

        server.store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.0.62"));
        try (WireClient c = server.connect("127.0.0.62")) {
            c.cmd("EHLO partner.example");
            c.cmd("MAIL FROM:<x@partner.example>");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.cmd("RCPT TO:<y@foreign.test>").code() == 250);
        }
    }
}
