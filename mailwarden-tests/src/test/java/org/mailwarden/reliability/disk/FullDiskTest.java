package org.mailwarden.reliability.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.reliability.harness.Figures;
import org.mailwarden.reliability.harness.ServerProcess;
import org.mailwarden.reliability.harness.SmtpClient;
import org.mailwarden.reliability.harness.StoredMail;
import org.mailwarden.reliability.harness.TestServerConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * The data directory runs out of space while mail arrives: the server's data_dir is a small tmpfs the
 * test mounts (root is needed; without it the test is skipped with the reason). Messages of a few hundred
 * kilobytes arrive until the disk is full; then SMTP must answer {@code 452 4.3.1} (try again later), and
 * never 250 for a message it could not store, nothing stored before may be damaged, and once space
 * returns (the tmpfs grows) the same server accepts mail again by itself. Finally the store must pass
 * SQLite's integrity check and hold every acknowledged message unaltered.
 */
class FullDiskTest {

    private static final String SMALL = "6m";
    private static final String LARGE = "64m";

    @TempDir
    Path dir;

    private ServerProcess server;
    private Path mountPoint;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mountPoint != null) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void aFullDiskGives452DamagesNothingAndRecoversWhenSpaceReturns() throws Exception {
        Path config0 = dir.resolve("server");
        mountPoint = config0.resolve("data");
        Files.createDirectories(mountPoint);
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=" + SMALL + ",mode=0755", "tmpfs", mountPoint.toString());
        if (mounted != null) {
            mountPoint = null;
            Assumptions.abort("cannot mount a small tmpfs for the data directory (needs root): " + mounted);
        }
        TestServerConfig config = TestServerConfig.write(config0, EnumSet.of(ListenerRole.SMTP), null, 100, 20);
        try (Store store = Stores.open(config.storage())) {
            store.domains().add("example.test", null);
            store.accounts().add("alice", "example.test", "unused", "unused");
        }
        server = ServerProcess.start(config, dir.resolve("serve.log"));
        InetSocketAddress smtp = config.address(ListenerRole.SMTP);
        Random random = new Random(42);
        Map<String, byte[]> acknowledged = new LinkedHashMap<>();
        List<String> refusals = new ArrayList<>();

        // fill the disk: in-memory and spooled (over 256 KiB) bodies, until 10 refusals in a row
        int sent = 0;
        int refusedInARow = 0;
        while (refusedInARow < 10 && sent < 200) {
            String id = "full-" + (++sent) + "@disk.test";
            byte[] message = message(id, sent % 3 == 0 ? 600_000 : 200_000, random);
            SmtpClient.Reply reply = sendOrDescribe(smtp, message);
            if (reply.code() == 250) {
                acknowledged.put(id, message);
                refusedInARow = 0;
            } else {
                refusals.add(reply.toString());
                refusedInARow++;
            }
        }
        assertThat(acknowledged).as("messages accepted before the disk filled").isNotEmpty();
        assertThat(refusedInARow).as("the disk filled up").isEqualTo(10);
        assertThat(refusals).as("refusals on a full disk; the server log says:%n%s", problems())
                .allSatisfy(r -> assertThat(r).startsWith("452 4.3.1"));
        assertThat(server.isAlive()).isTrue();
        assertThat(server.problems()).as("errors in the server log").noneMatch(l -> l.contains(" ERROR "));
        SmtpClient.open(smtp, false).close(); // still greets (open fails without a 220) with a full disk

        // space returns: the same process accepts mail again
        assertThat(run("mount", "-o", "remount,size=" + LARGE, mountPoint.toString())).isNull();
        int retries = 0;
        SmtpClient.Reply after;
        do {
            String id = "after-" + (++retries) + "@disk.test";
            byte[] message = message(id, 200_000, random);
            after = send(smtp, message);
            if (after.code() == 250) {
                acknowledged.put(id, message);
            } else {
                Thread.sleep(500);
            }
        } while (after.code() != 250 && retries < 60);
        assertThat(after.code()).as("accepting again after space returned (%d tries)", retries).isEqualTo(250);
        String more = "after-more@disk.test";
        byte[] moreMessage = message(more, 600_000, random);
        assertThat(send(smtp, moreMessage).code()).isEqualTo(250);
        acknowledged.put(more, moreMessage);

        assertThat(server.stop()).isEqualTo(143);
        assertThat(sqliteIntegrity(config.dataDir())).isEqualTo("ok");
        Map<String, byte[]> stored = new LinkedHashMap<>();
        try (Store store = Stores.open(config.storage())) {
            for (StoredMail.Copy c : StoredMail.readAll(store)) {
                assertThat(stored.put(c.messageId(), c.octets())).as("duplicate " + c.messageId()).isNull();
            }
        }
        for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
            assertThat(stored).as("acknowledged message " + e.getKey()).containsKey(e.getKey());
            assertThat(new StoredMail.Copy("", e.getKey(), stored.get(e.getKey()), false).endsWith(e.getValue()))
                    .as("stored copy of " + e.getKey() + " unaltered").isTrue();
        }
        Figures.record("full disk", "data_dir tmpfs " + SMALL + ": acknowledged before full=" + (acknowledged.size() - 2)
                + ", refused with 452 4.3.1=" + refusals.size() + ", accepted again after growing to " + LARGE
                + " on try " + retries + ", lost=0 damaged=0, integrity_check ok");
    }

    /** Like {@link #send}, but a connection the server drops becomes a reply-like description. */
    private static SmtpClient.Reply sendOrDescribe(InetSocketAddress smtp, byte[] message) {
        try {
            return send(smtp, message);
        } catch (IOException e) {
            return new SmtpClient.Reply(0, List.of("no reply: " + e.getMessage()));
        }
    }

    /** The warnings and errors in the server's log, with the stack traces that follow them. */
    private String problems() {
        return String.join("\n", server.logText().lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("\t") || l.contains("Exception"))
                .toList());
    }

    private static SmtpClient.Reply send(InetSocketAddress smtp, byte[] message) throws IOException {
        try (SmtpClient c = SmtpClient.open(smtp, false)) {
            c.ehlo("client.test");
            SmtpClient.Reply r = c.sendMessage("sender@remote.test", List.of("alice@example.test"), message);
            c.command("QUIT");
            return r;
        }
    }

    private static byte[] message(String id, int size, Random random) {
        StringBuilder m = new StringBuilder("Message-ID: <" + id + ">\r\nSubject: disk\r\n\r\n");
        while (m.length() < size) {
            m.append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String sqliteIntegrity(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mailwarden.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out.strip();
    }

}
