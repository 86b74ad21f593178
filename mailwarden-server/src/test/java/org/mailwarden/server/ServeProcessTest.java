package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.admin.cli.AdminEnvironment;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.store.Stores;

/**
 * {@code mailwarden serve --config FILE} as its own process, the way an administrator runs it: it comes
 * up on the configured ports, picks up a relay rule changed by the CLI while it runs, and shuts down
 * gracefully on SIGTERM.
 */
class ServeProcessTest {

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void servesAppliesCliChangesAndStopsOnSigterm() throws Exception {
        List<Integer> ports = freePorts(ListenerRole.values().length);
        StringBuilder toml = new StringBuilder("hostname = \"mx.example.test\"\ndata_dir = \"data\"\n[listen]\n");
        for (ListenerRole role : ListenerRole.values()) {
            toml.append(role.key()).append(" = [\"127.0.0.1:").append(ports.get(role.ordinal())).append("\"]\n");
        }
        Path config = dir.resolve("mailwarden.toml");
        Files.writeString(config, toml);
        Path log = dir.resolve("serve.log");

        process = new ProcessBuilder(javaCommand("serve", "--config", config.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readString(log).contains("mailwarden mx.example.test started: smtp 127.0.0.1:"));
        assertThat(firstLine(ports.get(ListenerRole.SMTP.ordinal()))).isEqualTo("220 mx.example.test ESMTP mailwarden");
        assertThat(firstLine(ports.get(ListenerRole.IMAP.ordinal()))).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS");
        assertThat(Files.exists(dir.resolve("data/tls/cert.pem"))).isTrue();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AdminEnvironment env = new AdminEnvironment(InputStream.nullInputStream(), Stores::open,
                new PasswordHasher());
        assertThat(Main.execute(new String[] {"relay", "deny", "198.51.100.0/24", "--config", config.toString()}, env,
                new PrintWriter(out, true), new PrintWriter(err, true))).isZero();
        assertThat(out.toString()).isEqualTo("added 198.51.100.0/24 to the deny list\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(log).contains("runtime config reloaded"));

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGTERM after a clean shutdown").isEqualTo(143);
        String output = Files.readString(log);
        assertThat(output).contains("MailServer [shutdown] shutting down: 8 listeners").contains("mailwarden stopped");
        assertThat(output.lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))).isEmpty();
    }

    @Test
    void aConfigErrorExitsWithTwoAndSaysWhereItIs() throws Exception {
        Path config = dir.resolve("bad.toml");
        Files.writeString(config, "[listen]\nsmtp = [\"127.0.0.1:99999\"]\n");
        Process p = new ProcessBuilder(javaCommand("serve", "--config", config.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("mailwarden: " + config + ":2: listen.smtp: \"127.0.0.1:99999\" is not a valid listen"
                + " address: port must be 1-65535 (write \"host:port\", e.g. \"127.0.0.1:2525\")\n");
    }

    @Test
    void aPortInUseFailsWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("mailwarden.toml");
            Files.writeString(config, "data_dir = \"data\"\n[listen]\nsmtp = [\"127.0.0.1:" + taken.getLocalPort() + "\"]\n");
            Process p = new ProcessBuilder(javaCommand("serve", "--config", config.toString()))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(output.lines().filter(l -> l.startsWith("mailwarden: "))).containsExactly(
                    "mailwarden: cannot listen for smtp on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use (another process listens there; stop it or choose another port in [listen])");
        }
    }

    /** The same JVM and classpath as this test, running Main the way the launcher does. */
    static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String firstLine(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
            return line.toString().strip();
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
