package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * The SMTP service as {@code serve} runs it: in-process, a stranger delivers to a local user and cannot
 * relay; as its own process, every message acknowledged with 250 is still there after {@code kill -9}
 * and a restart on the same data directory.
 */
class SmtpServeTest extends ServeTestBase {

    private Process process;

    @AfterEach
    void stopHelpers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void aStrangerDeliversLocallyButCannotRelay() throws Exception {
        Store store = start(ProtocolServices.builtIn()).store();
        long alice = addAlice();
        InetSocketAddress smtp = server.address(ListenerRole.SMTP);
        await().atMost(Duration.ofSeconds(2)).until(() -> send(smtp, "bob@remote.test", "alice@example.test").startsWith("250 "));
        assertThat(send(smtp, "bob@remote.test", "carol@elsewhere.test")).isEqualTo("554 5.7.1 Relay access denied");
        assertThat(inbox(store, alice)).hasSize(1).first().asString().contains("Received: from client.test (");
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9AndRestart() throws Exception {
        Path data = dir.resolve("data");
        try (Store store = Stores.open(StorageConfig.sqlite(data))) {
            store.domains().add("example.test", null);
            store.accounts().add("alice", "example.test", "unused", "unused");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("mailwarden.toml");
        Files.writeString(config, "hostname = \"mx.example.test\"\ndata_dir = \"data\"\n[listen]\nsmtp = [\"127.0.0.1:"
                + port + "\"]\n");
        InetSocketAddress smtp = new InetSocketAddress("127.0.0.1", port);

        process = serve(config, "first.log");
        List<String> queueIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String reply = send(smtp, "sender" + i + "@remote.test", "alice@example.test");
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            queueIds.add(reply.substring(reply.lastIndexOf(' ') + 1));
        }
        process.destroyForcibly(); // SIGKILL right after the last 250
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        process = serve(config, "second.log");
        try (Store store = Stores.open(StorageConfig.sqlite(data))) {
            long alice = store.accounts().find("alice", "example.test").orElseThrow().id();
            List<String> inbox = inbox(store, alice);
            for (String id : queueIds) {
                assertThat(inbox).anySatisfy(m -> assertThat(m).contains(" id " + id + "\r\n"));
            }
        }
    }

    /** Starts {@code serve} as its own process and waits until SMTP answers. */
    private Process serve(Path config, String log) throws Exception {
        Process p = new ProcessBuilder(ServeProcessTest.javaCommand("serve", "--config", config.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        String port = Files.readString(config).replaceAll("(?s).*127\\.0\\.0\\.1:(\\d+).*", "$1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> greeting(Integer.parseInt(port)).startsWith("220 "));
        return p;
    }

    private static String greeting(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** One message over a fresh connection; returns the reply to RCPT when refused, else to the end of data. */
    private static String send(InetSocketAddress server, String from, String to) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 5000);
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.test");
            command(out, in, "MAIL FROM:<" + from + ">");
            String rcpt = command(out, in, "RCPT TO:<" + to + ">");
            if (!rcpt.startsWith("250")) {
                return rcpt;
            }
            command(out, in, "DATA");
            return command(out, in, "Subject: test\r\n\r\nHello from " + from + "\r\n.");
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private static List<String> inbox(Store store, long account) throws IOException {
        Mailboxes m = store.mailboxes();
        List<String> out = new ArrayList<>();
        for (Mailboxes.MessageEntry e : m.messages(m.find(account, "INBOX").orElseThrow().id())) {
            try (InputStream in = m.openBody(e)) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
