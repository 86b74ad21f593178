package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * "250 queued" means on disk: the server runs as its own JVM, receives messages from concurrent clients,
 * and is killed with SIGKILL ({@code kill -9}) right after the last 250. After a restart on the same
 * data directory every acknowledged message is in the INBOX.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9() throws Exception {
        Path data = dir.resolve("data");
        Path portFile = dir.resolve("port");
        Process server = start(data, portFile);
        List<String> queueIds = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) || !server.isAlive());
            int port = Integer.parseInt(Files.readString(portFile).strip());
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<String>> sends = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                sends.add(pool.submit((Callable<String>) () -> send(port, "127.0.3." + (n + 1), n)));
            }
            for (Future<String> f : sends) {
                String reply = f.get();
                assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
                queueIds.add(reply.substring(reply.lastIndexOf(' ') + 1));
            }
        } finally {
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            server.waitFor();
        }
        try (Store store = Stores.open(StorageConfig.sqlite(data))) {
            long alice = store.accounts().find("alice", "local.test").orElseThrow().id();
            Mailboxes m = store.mailboxes();
            List<String> bodies = new ArrayList<>();
            for (Mailboxes.MessageEntry e : m.messages(m.find(alice, "INBOX").orElseThrow().id())) {
                try (InputStream in = m.openBody(e)) {
                    bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            for (String id : queueIds) {
                assertThat(bodies).as("message " + id).anySatisfy(b -> assertThat(b).contains(" id " + id + "\r\n"));
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).endsWith("\r\nthe end\r\n"));
        }
    }

    private static Process start(Path data, Path portFile) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashTestServer.class.getName(), data.toString(), portFile.toString())
                .redirectErrorStream(true).redirectOutput(data.resolveSibling("server.log").toFile()).start();
    }

    private static String send(int port, String clientIp, int n) throws Exception {
        try (WireClient c = new WireClient(clientIp, port)) {
            c.read();
            c.cmd("EHLO crash.test");
            c.cmd("MAIL FROM:<sender" + n + "@remote.example>");
            c.cmd("RCPT TO:<alice@local.test>");
            c.cmd("DATA");
            String body = "Subject: crash " + n + "\r\n\r\n" + ("line " + n + "\r\n").repeat(2000) + "the end";
            return c.cmd(body + "\r\n.").toString();
        }
    }
}
