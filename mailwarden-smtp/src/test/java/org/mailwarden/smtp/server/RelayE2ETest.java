package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;

/**
 * The relay policy end to end over real sockets, from several client addresses: a stranger delivers to
 * local users and cannot relay by any trick; allowed networks relay; local-only mode stops relay; rule
 * changes reach open sessions within two seconds. Each test uses its own client address.
 */
class RelayE2ETest {

    @TempDir
    static Path dir;
    static SmtpServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = new SmtpServerFixture(dir, Map.of("smtp.error_hard_limit", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aStrangerDeliversToLocalUsersAndAliases() throws Exception {
        int alice = server.inbox(server.alice).size();
        try (WireClient c = server.connect("127.0.0.2")) {
            assertThat(c.cmd("EHLO stranger.example").code()).isEqualTo(250);
            assertThat(c.cmd("MAIL FROM:<news@remote.example>").toString()).isEqualTo("250 2.1.0 Sender OK");
            assertThat(c.cmd("RCPT TO:<ALICE@Local.Test>").code()).isEqualTo(250);
            assertThat(c.cmd("RCPT TO:<sales@local.test>").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            assertThat(c.cmd("Subject: hello\r\n\r\nHi Alice\r\n.").toString()).startsWith("250 2.0.0 Ok: queued as ");
        }
        List<String> inbox = server.inbox(server.alice);
        assertThat(inbox).hasSize(alice + 1); // account and alias name the same account: one copy
        assertThat(inbox.get(alice)).startsWith("Return-Path: <news@remote.example>\r\nReceived: from stranger.example ([127.0.0.2])")
                .contains("with ESMTP id ").endsWith("Subject: hello\r\n\r\nHi Alice\r\n");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        int bob = server.inbox(server.bob).size();
        try (WireClient c = server.connect("127.0.0.2")) {
            c.raw("EHLO pipeliner.example\r\nMAIL FROM:<p@remote.example>\r\nRCPT TO:<nobody@local.test>\r\n"
                    + "RCPT TO:<bob@local.test>\r\nRCPT TO:<x@foreign.test>\r\nDATA\r\n");
            assertThat(c.read().text()).contains("PIPELINING");
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(550);
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(554);
            assertThat(c.read().code()).isEqualTo(354);
            c.raw("Subject: pipelined\r\n\r\nbody\r\n.\r\nMAIL FROM:<p@remote.example>\r\nRCPT TO:<bob@local.test>\r\n"
                    + "BDAT 6 LAST\r\nx: y\r\nQUIT\r\n");
            assertThat(c.read().toString()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().toString()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.read().code()).isEqualTo(221);
        }
        assertThat(server.inbox(server.bob)).hasSize(bob + 2);
    }

    /** Every spelling a stranger might use to get mail relayed; none may be accepted. */
    @ParameterizedTest
    @ValueSource(strings = {
        "<alice%foreign.test@local.test>", "<foreign.test!alice@local.test>", "<alice@foreign.test%local.test>",
        "<@local.test:alice@foreign.test>", "<@local.test,@mx.local.test:u@foreign.test>", "<\"u@foreign.test\"@local.test>",
        "<\"alice\"@foreign.test>", "<alice@foreign.test@local.test>", "<alice@local.test@foreign.test>",
        "<u@[127.0.0.1]>", "<u@[192.0.2.1]>", "<u@[IPv6:::1]>", "<alice@local.test.>", "<alice@foreign.test.>",
        "<alice@local..test>", "<u@FOREIGN.TEST>", "<u@Foreign.Test>", "alice@foreign.test", "<alice@foreign.test",
        "<u@foreign.test> <alice@local.test>", "<alice@local.test\u0000.foreign.test>", "<postmaster@foreign.test>",
        "<alice@f\u043ereign.test>", "<alice@xn--frign-1ua.test>", "<\"alice@local.test\"@foreign.test>",
        "<alice@local.test>@foreign.test", "<>", "<@foreign.test:alice@local.test:x@foreign.test>",
        "<alice@127.0.0.1>", "<alice@[127.0.0.1].foreign.test>", "<alice@local.test.foreign.test>", "<Postmaster>"})
    void aStrangerCannotRelayByAnyTrick(String path) throws Exception {
        int queued = server.queue().size();
        try (WireClient c = server.connect("127.0.0.3")) {
            c.cmd("EHLO stranger.example");
            c.cmd("MAIL FROM:<x@remote.example>");
            WireClient.Response r = c.cmd("RCPT TO:" + path);
            assertThat(r.code()).as(path + " -> " + r).isIn(501, 550, 553, 554, 555);
            assertThat(c.cmd("DATA").code()).isEqualTo(554); // no valid recipients
        }
        assertThat(server.queue()).hasSize(queued);
    }

    @Test
    void percentHackIsAnUnknownLocalUserAndSourceRouteIsForeign() throws Exception {
        try (WireClient c = server.connect("127.0.0.3")) {
            c.cmd("EHLO stranger.example");
            c.cmd("MAIL FROM:<x@remote.example>");
            assertThat(c.cmd("RCPT TO:<u%foreign.test@local.test>").toString()).startsWith("550 5.1.1");
            assertThat(c.cmd("RCPT TO:<@local.test:u@foreign.test>").toString()).isEqualTo("554 5.7.1 Relay access denied");
            assertThat(c.cmd("RCPT TO:<alice@local.test.>").toString()).startsWith("501 5.1.3");
        }
    }

    @Test
    void aForgedLocalSenderFromOutsideIsRefusedWithAHint() throws Exception {
        try (WireClient c = server.connect("127.0.0.4")) {
            c.cmd("EHLO stranger.example");
            WireClient.Response r = c.cmd("MAIL FROM:<alice@LOCAL.test>");
            assertThat(r.toString()).startsWith("550 5.7.1").contains("submission");
        }
    }

    @Test
    void aFailedAuthGrantsNothing() throws Exception {
        int queued = server.queue().size();
        try (WireClient c = server.connect("127.0.0.8")) {
            c.startTls("stranger.example");
            c.cmd("EHLO stranger.example");
            String wrong = Base64.getEncoder().encodeToString("\0alice@local.test\0wrong password".getBytes());
            assertThat(c.cmd("AUTH PLAIN " + wrong).toString()).startsWith("535 5.7.8");
            c.cmd("MAIL FROM:<x@remote.example>");
            assertThat(c.cmd("RCPT TO:<x@foreign.test>").toString()).startsWith("554 5.7.1");
            assertThat(c.cmd("AUTH LOGIN").code()).isEqualTo(503); // not inside a transaction
            c.cmd("RSET");
            assertThat(c.cmd("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.cmd("*").toString()).startsWith("501 5.0.0");
            c.cmd("MAIL FROM:<x@remote.example>");
            assertThat(c.cmd("RCPT TO:<x@foreign.test>").toString()).startsWith("554 5.7.1");
        }
        assertThat(server.queue()).hasSize(queued);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\n.\r"})
    void smuggledEndOfDataNeverEndsTheMessage(String fakeEnd) throws Exception {
        int bob = server.inbox(server.bob).size();
        int alice = server.inbox(server.alice).size();
        try (WireClient c = server.connect("127.0.0.9")) {
            c.cmd("EHLO stranger.example");
            c.cmd("MAIL FROM:<x@remote.example>");
            c.cmd("RCPT TO:<bob@local.test>");
            assertThat(c.cmd("DATA").code()).isEqualTo(354);
            c.raw("Subject: first\r\n\r\nfirst" + fakeEnd + "MAIL FROM:<ceo@remote.example>\r\nRCPT TO:<alice@local.test>\r\n"
                    + "DATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n");
            WireClient.Response r = c.read();
            assertThat(r.toString()).startsWith("554 5.6.0");
            assertThat(c.cmd("NOOP").code()).isEqualTo(250); // the stream is in step: the next reply is NOOP's
        }
        assertThat(server.inbox(server.bob)).hasSize(bob);
        assertThat(server.inbox(server.alice)).hasSize(alice);
    }

    @Test
    void bareLfInDataRefusesTheMessage() throws Exception {
        int bob = server.inbox(server.bob).size();
        try (WireClient c = server.connect("127.0.0.9")) {
            c.cmd("EHLO stranger.example");
            c.cmd("MAIL FROM:<x@remote.example>");
            c.cmd("RCPT TO:<bob@local.test>");
            c.cmd("DATA");
            assertThat(c.cmd("Subject: lf\n\nbody\r\n.").toString()).startsWith("554 5.6.0");
        }
        assertThat(server.inbox(server.bob)).hasSize(bob);
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        int alice = server.inbox(server.alice).size();
        try (WireClient c = server.connect("127.0.0.10")) {
            c.raw("EHLO attacker.example\r\nSTARTTLS\r\nMAIL FROM:<x@remote.example>\r\nRCPT TO:<alice@local.test>\r\n");
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().toString()).startsWith("220 2.0.0");
            c.upgrade();
            assertThat(c.cmd("RCPT TO:<alice@local.test>").toString()).startsWith("503 5.5.1"); // no EHLO, no MAIL
            assertThat(c.cmd("EHLO attacker.example").code()).isEqualTo(250);
            assertThat(c.cmd("DATA").toString()).startsWith("503 5.5.1"); // the injected MAIL never happened
        }
        assertThat(server.inbox(server.alice)).hasSize(alice);
    }

    @Test
    void anAllowedNetworkRelaysAndOthersDoNot() throws Exception {
        server.store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.0.5/32"));
        server.store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.1.0/24"));
        server.store.relayRules().add(RelayRules.ListKind.DENY, IpRange.parse("127.0.1.9"));
        try {
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(relay("127.0.0.5")).startsWith("250"));
            String reply = sendRelayed("127.0.1.7");
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            String queueId = reply.substring(reply.lastIndexOf(' ') + 1);
            var queued = server.store.queue().find(queueId).orElseThrow();
            assertThat(queued.sender()).isEqualTo("boss@partner.example");
            assertThat(queued.recipients()).extracting(r -> r.address()).containsExactly("friend@foreign.test");
            assertThat(relay("127.0.0.6")).isEqualTo("554 5.7.1 Relay access denied");
            assertThat(relay("127.0.1.9")).isEqualTo("554 5.7.1 Relay access denied"); // rule 4 beats rule 2
        } finally {
            server.store.relayRules().remove(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.0.5/32"));
            server.store.relayRules().remove(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.1.0/24"));
            server.store.relayRules().remove(RelayRules.ListKind.DENY, IpRange.parse("127.0.1.9"));
        }
    }

    @Test
    void aRuleChangeReachesAnOpenSessionWithinTwoSeconds() throws Exception {
        try (WireClient c = server.connect("127.0.0.7")) {
            c.cmd("EHLO partner.example");
            c.cmd("MAIL FROM:<x@partner.example>");
            assertThat(c.cmd("RCPT TO:<y@foreign.test>").code()).isEqualTo(554);
            server.store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.0.7"));
            try {
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> c.cmd("RCPT TO:<y@foreign.test>").code() == 250);
            } finally {
                server.store.relayRules().remove(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.0.7"));
            }
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.cmd("RCPT TO:<y@foreign.test>").code() == 554);
        }
    }

    @Test
    void localOnlyModeStopsAllRelay() throws Exception {
        server.store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.2.0/24"));
        try {
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(relay("127.0.2.1")).startsWith("250"));
            server.store.relayRules().setMode(RelayMode.LOCAL_ONLY);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(relay("127.0.2.1")).startsWith("554 5.7.1"));
            try (WireClient c = server.connect("127.0.2.2", ListenerRole.SUBMISSION)) {
                c.startTls("laptop");
                c.cmd("EHLO laptop");
                String plain = Base64.getEncoder().encodeToString(("\0alice@local.test\0" + SmtpServerFixture.PASSWORD).getBytes());
                assertThat(c.cmd("AUTH PLAIN " + plain).code()).isEqualTo(235);
                c.cmd("MAIL FROM:<alice@local.test>");
                assertThat(c.cmd("RCPT TO:<x@foreign.test>").toString()).startsWith("554 5.7.1");
                assertThat(c.cmd("RCPT TO:<bob@local.test>").code()).isEqualTo(250); // local delivery goes on
            }
        } finally {
            server.store.relayRules().setMode(RelayMode.RESTRICTED);
            server.store.relayRules().remove(RelayRules.ListKind.ALLOW, IpRange.parse("127.0.2.0/24"));
        }
    }

    /** The reply to RCPT TO a foreign address from {@code clientIp}, in a fresh session. */
    private static String relay(String clientIp) throws Exception {
        try (WireClient c = server.connect(clientIp)) {
            c.cmd("EHLO partner.example");
            c.cmd("MAIL FROM:<boss@partner.example>");
            return c.cmd("RCPT TO:<friend@foreign.test>").toString();
        }
    }

    private static String sendRelayed(String clientIp) throws Exception {
        try (WireClient c = server.connect(clientIp)) {
            c.cmd("EHLO partner.example");
            c.cmd("MAIL FROM:<boss@partner.example>");
            assertThat(c.cmd("RCPT TO:<friend@foreign.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;friend@foreign.test").code())
                    .isEqualTo(250);
            c.cmd("DATA");
            return c.cmd("Subject: relayed\r\n\r\nbody\r\n.").toString();
        }
    }
}
