package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.testing.ScramClient;
import org.mailwarden.store.Queue;

/**
 * Real SMTP clients against the three listeners: Jakarta/Angus Mail (STARTTLS and implicit TLS with
 * AUTH), Python's smtplib and swaks, plus a SCRAM-SHA-256 exchange. An authenticated user relays as
 * {@code user@domain} and as {@code DOMAIN\\user}; a stranger delivers locally but cannot relay.
 */
class ClientsE2ETest {

    private static final String MESSAGE = "From: someone\r\nTo: someone else\r\nSubject: e2e\r\n\r\nHello there.\r\n";

    @TempDir
    static Path dir;
    static SmtpServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = new SmtpServerFixture(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Session session(String protocol, ListenerRole role, String clientIp) {
        Properties p = new Properties();
        String pre = "mail." + protocol + ".";
        p.put(pre + "host", "127.0.0.1");
        p.put(pre + "port", String.valueOf(server.port(role)));
        p.put(pre + "localaddress", clientIp);
        p.put(pre + "auth", "true");
        p.put(pre + "ssl.trust", "*");
        p.put(pre + "connectiontimeout", "10000");
        p.put(pre + "timeout", "20000");
        if (protocol.equals("smtp")) {
            p.put(pre + "starttls.enable", "true");
            p.put(pre + "starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    /** Sends with Angus Mail and returns the server's reply to the end of data. */
    private static String angus(String protocol, ListenerRole role, String clientIp, String user, String from,
                                String... to) throws Exception {
        Session s = session(protocol, role, clientIp);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject("angus " + user);
        m.setText("Sent by Angus Mail.\n");
        try (SMTPTransport t = (SMTPTransport) s.getTransport(protocol)) {
            t.connect(user, SmtpServerFixture.PASSWORD);
            t.sendMessage(m, m.getAllRecipients());
            return t.getLastServerResponse();
        }
    }

    private static Queue.QueuedMessage queued(String reply) {
        String id = reply.strip().substring(reply.strip().lastIndexOf(' ') + 1);
        return server.store.queue().find(id).orElseThrow(() -> new AssertionError("not queued: " + reply));
    }

    @Test
    void angusSubmissionWithStartTlsRelaysAsUserAtDomain() throws Exception {
        int bob = server.inbox(server.bob).size();
        String reply = angus("smtp", ListenerRole.SUBMISSION, "127.0.0.11", "alice@local.test", "alice@local.test",
                "friend@foreign.test", "bob@local.test");
        assertThat(reply).startsWith("250 2.0.0 Ok: queued as");
        Queue.QueuedMessage q = queued(reply);
        assertThat(q.sender()).isEqualTo("alice@local.test");
        assertThat(q.notifyAllowed()).isTrue();
        assertThat(q.recipients()).extracting(Queue.QueuedRecipient::address).containsExactly("friend@foreign.test");
        List<String> inbox = server.inbox(server.bob);
        assertThat(inbox).hasSize(bob + 1);
        assertThat(inbox.get(bob)).contains("with ESMTPSA id ").containsPattern("\\(using TLSv1\\.[23] with cipher ")
                .startsWith("Return-Path: <alice@local.test>\r\nReceived: from ");
    }

    @Test
    void angusSubmissionsWithImplicitTlsRelaysAsDomainBackslashUser() throws Exception {
        String reply = angus("smtps", ListenerRole.SUBMISSIONS, "127.0.0.12", "LOCAL\\alice", "sales@local.test",
                "partner@foreign.test");
        assertThat(queued(reply).recipients()).extracting(Queue.QueuedRecipient::address).containsExactly("partner@foreign.test");
        assertThat(queued(reply).sender()).isEqualTo("sales@local.test"); // an alias granted to alice
    }

    @Test
    void angusCannotSendAsSomeoneElse() {
        assertThatThrownBy(() -> angus("smtp", ListenerRole.SUBMISSION, "127.0.0.11", "alice@local.test",
                "bob@local.test", "friend@foreign.test")).hasMessageContaining("553 5.7.1");
    }

    @Test
    void angusWithAWrongPasswordIsRefused() {
        Session s = session("smtp", ListenerRole.SUBMISSION, "127.0.0.14");
        assertThatThrownBy(() -> {
            try (Transport t = s.getTransport("smtp")) {
                t.connect("bob@local.test", "not the password");
            }
        }).hasMessageContaining("535 5.7.8");
    }

    @Test
    void pythonStrangerDeliversLocallyButCannotRelay() throws Exception {
        int alice = server.inbox(server.alice).size();
        var ok = ExternalClient.python(server.port(ListenerRole.SMTP), "plain", "127.0.0.15", "-", "-",
                "someone@remote.example", "alice@local.test", MESSAGE);
        assertThat(ok.output()).startsWith("OK 250 2.0.0 Ok: queued as");
        assertThat(server.inbox(server.alice)).hasSize(alice + 1);
        var refused = ExternalClient.python(server.port(ListenerRole.SMTP), "plain", "127.0.0.15", "-", "-",
                "someone@remote.example", "victim@foreign.test", MESSAGE);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).startsWith("REFUSED 554 5.7.1 Relay access denied");
    }

    @Test
    void pythonAuthenticatedOnEveryTlsPort() throws Exception {
        var starttls = ExternalClient.python(server.port(ListenerRole.SUBMISSION), "starttls", "127.0.0.16",
                "alice@local.test", SmtpServerFixture.PASSWORD, "alice@local.test", "far@foreign.test", MESSAGE);
        assertThat(starttls.output()).startsWith("OK 250 2.0.0 Ok: queued as");
        var ssl = ExternalClient.python(server.port(ListenerRole.SUBMISSIONS), "ssl", "127.0.0.16",
                "LOCAL\\bob", SmtpServerFixture.PASSWORD, "bob@local.test", "far@foreign.test", MESSAGE);
        assertThat(ssl.output()).startsWith("OK 250 2.0.0 Ok: queued as");
        var mta = ExternalClient.python(server.port(ListenerRole.SMTP), "starttls", "127.0.0.16",
                "bob@local.test", SmtpServerFixture.PASSWORD, "bob@local.test", "far@foreign.test", MESSAGE);
        assertThat(mta.output()).startsWith("OK 250 2.0.0 Ok: queued as"); // AUTH after STARTTLS on the MTA port
    }

    @Test
    void pythonSubmissionWithoutAuthIsRefused() throws Exception {
        var r = ExternalClient.python(server.port(ListenerRole.SUBMISSION), "starttls", "127.0.0.17", "-", "-",
                "alice@local.test", "bob@local.test", MESSAGE);
        assertThat(r.output()).startsWith("REFUSED 530 5.7.0 Authentication required");
    }

    @Test
    void swaksStrangerAndAuthenticatedUser() throws Exception {
        assumeTrue(ExternalClient.swaksInstalled(), "swaks is not installed (apt-get install -y swaks)");
        int bob = server.inbox(server.bob).size();
        var stranger = ExternalClient.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.port(ListenerRole.SMTP)), "--local-interface", "127.0.0.18", "--helo", "swaks.test",
                "--from", "swaks@remote.example", "--to", "bob@local.test", "--header", "Subject: swaks"), "");
        assertThat(stranger.exitCode()).as(stranger.output()).isZero();
        assertThat(stranger.output()).contains("250 2.0.0 Ok: queued as");
        assertThat(server.inbox(server.bob)).hasSize(bob + 1);

        var relay = ExternalClient.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.port(ListenerRole.SMTP)), "--local-interface", "127.0.0.18", "--from",
                "swaks@remote.example", "--to", "victim@foreign.test"), "");
        assertThat(relay.exitCode()).isNotZero();
        assertThat(relay.output()).contains("554 5.7.1 Relay access denied");

        var auth = ExternalClient.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.port(ListenerRole.SUBMISSION)), "--local-interface", "127.0.0.18", "--tls",
                "--auth", "LOGIN", "--auth-user", "LOCAL\\bob", "--auth-password", SmtpServerFixture.PASSWORD,
                "--from", "bob@local.test", "--to", "friend@foreign.test"), "");
        assertThat(auth.exitCode()).as(auth.output()).isZero();
        assertThat(auth.output()).contains("235 2.7.0").contains("250 2.0.0 Ok: queued as");

        var smtps = ExternalClient.run(List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.port(ListenerRole.SUBMISSIONS)), "--local-interface", "127.0.0.18", "--tlsc",
                "--auth", "PLAIN", "--auth-user", "bob@local.test", "--auth-password", SmtpServerFixture.PASSWORD,
                "--from", "bob@local.test", "--to", "friend@foreign.test"), "");
        assertThat(smtps.exitCode()).as(smtps.output()).isZero();
    }

    @Test
    void curlAsInTheReadme() throws Exception {
        assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        int alice = server.inbox(server.alice).size();
        var stranger = ExternalClient.run(List.of("curl", "-sS", "--interface", "127.0.0.21", "smtp://127.0.0.1:"
                + server.port(ListenerRole.SMTP), "--mail-from", "bob@elsewhere.test", "--mail-rcpt", "alice@local.test",
                "-T", "-"), "Subject: hello\r\n\r\nfirst mail\r\n");
        assertThat(stranger.exitCode()).as(stranger.output()).isZero();
        assertThat(server.inbox(server.alice)).hasSize(alice + 1);
        var submission = ExternalClient.run(List.of("curl", "-sS", "-k", "--ssl-reqd", "--interface", "127.0.0.21",
                "smtp://127.0.0.1:" + server.port(ListenerRole.SUBMISSION), "-u", "alice@local.test:" + SmtpServerFixture.PASSWORD,
                "--mail-from", "alice@local.test", "--mail-rcpt", "someone@example.org", "-T", "-"), "Subject: out\r\n\r\nhi\r\n");
        assertThat(submission.exitCode()).as(submission.output()).isZero();
        assertThat(server.queue()).anySatisfy(q -> assertThat(q.recipients())
                .anySatisfy(r -> assertThat(r.address()).isEqualTo("someone@example.org")));
    }

    @Test
    void scramSha256WithServerProof() throws Exception {
        try (WireClient c = server.connect("127.0.0.19", ListenerRole.SUBMISSION)) {
            c.startTls("scram.client");
            assertThat(c.cmd("EHLO scram.client").text()).contains("AUTH SCRAM-SHA-256 PLAIN LOGIN");
            ScramClient scram = new ScramClient("alice@local.test", SmtpServerFixture.PASSWORD);
            WireClient.Response first = c.cmd("AUTH SCRAM-SHA-256 " + ScramClient.b64(scram.clientFirst()));
            assertThat(first.code()).isEqualTo(334);
            String serverFirst = ScramClient.unb64(first.toString().substring(4));
            WireClient.Response last = c.cmd(ScramClient.b64(scram.clientFinal(serverFirst)));
            assertThat(last.code()).isEqualTo(334);
            assertThat(scram.serverFinalValid(ScramClient.unb64(last.toString().substring(4)))).isTrue();
            assertThat(c.cmd("").toString()).isEqualTo("235 2.7.0 Authentication successful");
            c.cmd("MAIL FROM:<alice@local.test>");
            assertThat(c.cmd("RCPT TO:<x@foreign.test>").code()).isEqualTo(250);
        }
    }

    @Test
    void authIsOfferedOnlyAfterStartTls() throws Exception {
        try (WireClient c = server.connect("127.0.0.20")) {
            assertThat(c.cmd("EHLO c").text()).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(c.cmd("AUTH PLAIN AGFsaWNlAHg=").toString()).startsWith("538 5.7.11");
            c.cmd("STARTTLS");
            c.upgrade();
            assertThat(c.cmd("EHLO c").text()).contains("AUTH").doesNotContain("STARTTLS");
        }
    }
}
