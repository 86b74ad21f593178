package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.admin.cli.AdminEnvironment;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestStores;

/**
 * {@code serve} in-process on free ports: every listener answers over a real socket with its protocol's
 * "not available" line, and a change made with the CLI against the same data directory reaches the
 * running server's runtime snapshot without a restart.
 */
class MailServerTest {

    @TempDir
    Path dir;

    private MailServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void everyListenerGreetsWithItsNotAvailableLine() throws Exception {
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)), List.of());
        assertThat(greeting(ListenerRole.SMTP, false)).isEqualTo("421 4.3.2 mx.example.test Service not available\r\n");
        assertThat(greeting(ListenerRole.SUBMISSION, false)).isEqualTo("421 4.3.2 mx.example.test Service not available\r\n");
        assertThat(greeting(ListenerRole.SUBMISSIONS, true)).isEqualTo("421 4.3.2 mx.example.test Service not available\r\n");
        assertThat(greeting(ListenerRole.POP3, false)).isEqualTo("-ERR [SYS/TEMP] service not available\r\n");
        assertThat(greeting(ListenerRole.POP3S, true)).isEqualTo("-ERR [SYS/TEMP] service not available\r\n");
        assertThat(greeting(ListenerRole.IMAP, false)).isEqualTo("* BYE service not available\r\n");
        assertThat(greeting(ListenerRole.IMAPS, true)).isEqualTo("* BYE service not available\r\n");
        assertThat(Files.exists(dir.resolve("tls/cert.pem"))).isTrue();
    }

    @Test
    void theAdminListenerServesTheApiToTheTokenAndMetrics() throws Exception {
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)), List.of());
        InetSocketAddress admin = server.address(ListenerRole.ADMIN);
        URI domains = URI.create("http://127.0.0.1:" + admin.getPort() + "/api/v1/domains");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(domains).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        String token = Files.readString(dir.resolve("admin.token")).strip();
        HttpRequest add = HttpRequest.newBuilder(domains).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"name\": \"example.test\"}")).build();
        assertThat(http.send(add, BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(2)).until(() -> server.runtime().current().isLocalDomain("example.test"));

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(domains.resolve("/metrics")).build(), BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "mailwarden_admin_http_responses_total");
    }

    @Test
    void aRelayRuleChangedWithTheCliReachesTheRunningServer() throws IOException {
        Files.writeString(dir.resolve("cli.toml"), "data_dir = \"" + dir + "\"\n");
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)), List.of());
        changesReachTheRunningServer();
    }

    @Test
    void onPostgresqlAChangeFromAnotherProcessReachesTheServerToo() throws IOException {
        StorageConfig pg = TestStores.postgresqlConfig();
        Files.writeString(dir.resolve("cli.toml"), """
                data_dir = "%s"
                [storage]
                backend = "postgresql"
                url = "%s"
                user = "%s"
                password = "%s"
                """.formatted(dir, pg.url(), pg.user(), pg.password()));
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, pg), List.of());
        changesReachTheRunningServer();
    }

    private void changesReachTheRunningServer() {
        assertThat(server.runtime().current().relayRules().allowedClients()).isEmpty();

        assertThat(cli("relay", "allow", "192.0.2.0/24")).isZero();
        await().atMost(Duration.ofSeconds(2)).until(
                () -> server.runtime().current().relayRules().allowedClients().contains(IpRange.parse("192.0.2.0/24")));

        assertThat(cli("relay", "mode", "local-only")).isZero();
        assertThat(cli("domain", "add", "example.test")).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> server.runtime().current().relayRules().mode() == RelayMode.LOCAL_ONLY
                && server.runtime().current().isLocalDomain("example.test"));
    }

    @Test
    void aConnectionLimitSetWithTheCliAppliesToTheRunningServer() throws Exception {
        Files.writeString(dir.resolve("cli.toml"), "data_dir = \"" + dir + "\"\n");
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)),
                List.of(new SmtpProtocolService()));
        InetSocketAddress smtp = server.address(ListenerRole.SMTP);
        try (Socket first = connect(smtp)) {
            assertThat(firstLine(first)).startsWith("220 ");
            try (Socket second = connect(smtp)) {
                assertThat(firstLine(second)).as("20 per address by default").startsWith("220 ");
            }
            assertThat(cli("settings", "set", "limits.max_connections_per_ip", "1")).isZero();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try (Socket refused = connect(smtp)) {
                    assertThat(firstLine(refused)).startsWith("421 ");
                }
            });
            assertThat(firstLine(first)).as("the open session is not cut").isEmpty();
        }
    }

    private static String firstLine(Socket s) throws IOException {
        s.setSoTimeout(300);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        try {
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                line.write(b);
            }
        } catch (java.net.SocketTimeoutException e) {
            // nothing (more) to read
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }

    /** Runs an admin command in-process, through the config file cli.toml that names the server's store. */
    private int cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = dir.resolve("cli.toml").toString();
        StringWriter err = new StringWriter();
        AdminEnvironment env = new AdminEnvironment(InputStream.nullInputStream(), Stores::open, new PasswordHasher());
        int status = Main.execute(all, env, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(err.toString()).isEmpty();
        return status;
    }

    private String greeting(ListenerRole role, boolean tls) throws Exception {
        try (Socket plain = connect(server.address(role)); Socket s = tls ? wrap(plain) : plain) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            assertThat(in.read()).as("the server closes after its greeting").isEqualTo(-1);
            return line.toString(StandardCharsets.US_ASCII);
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** A TLS client that accepts the generated self-signed certificate, as `curl -k` would. */
    private static Socket wrap(Socket plain) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        s.startHandshake();
        return s;
    }
}
