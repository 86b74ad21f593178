package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ExternalProcess;

/**
 * {@code fetchmail} (the Debian package) pulling the maildrop into a file through an MDA, over STLS and
 * over POP3S: every message arrives whole; with {@code keep} and UIDL tracking a second run fetches only
 * what is new (so UIDLs are stable between sessions); without {@code keep} the maildrop is emptied.
 */
class FetchmailClientTest extends Pop3ClientTestBase {

    static final String MSG1 = "From: bob@elsewhere.test\r\nSubject: fetch one\r\nMessage-ID: <f1@elsewhere.test>\r\n"
            + "\r\nFirst body.\r\n.\r\n..double\r\n";
    static final String MSG2 = "From: carol@elsewhere.test\r\nSubject: fetch two\r\nMessage-ID: <f2@elsewhere.test>\r\n"
            + "\r\nSecond body.\r\n";
    static final String MSG3 = "From: dave@elsewhere.test\r\nSubject: fetch three\r\nMessage-ID: <f3@elsewhere.test>\r\n"
            + "\r\nThird body.\r\n";

    Path delivered;

    @BeforeAll
    static void clientInstalled() {
        assumeTrue(ExternalProcess.available("fetchmail"), "fetchmail is not installed (apt-get install fetchmail)");
    }

    @Override
    List<String> messages() {
        return List.of(MSG1, MSG2);
    }

    @BeforeEach
    void prepareClient() throws Exception {
        delivered = workDir.resolve("delivered.txt");
    }

    private ExternalProcess fetchmail(int port, String tls, boolean keep) throws Exception {
        Path rc = workDir.resolve("fetchmailrc");
        Files.writeString(rc, "set no bouncemail\n"
                + "poll 127.0.0.1 protocol pop3 port " + port + " uidl\n"
                + "  user \"alice@example.test\" there with password \"alice-secret\" is \"nobody\" here\n"
                + "  " + tls + " no sslcertck\n"
                + "  mda \"/bin/sh -c 'cat >> " + delivered + "; echo ===END=== >> " + delivered + "'\"\n"
                + (keep ? "  keep\n" : "  nokeep\n"));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of("fetchmail", "--nodetach", "--nosyslog", "-f", rc.toString(),
                "--pidfile", workDir.resolve("fetchmail.pid").toString(), "-i", workDir.resolve("fetchids").toString()));
        return ExternalProcess.run(workDir, command);
    }

    /** The messages the MDA received, with the line endings fetchmail gives an MDA (LF). */
    private List<String> deliveredMessages() throws Exception {
        if (!Files.exists(delivered)) {
            return List.of();
        }
        String all = Files.readString(delivered, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String m : all.split("===END===\n")) {
            if (!m.isEmpty()) {
                out.add(m);
            }
        }
        return out;
    }

    /** A stored message as fetchmail hands it to an MDA: LF line endings, with its own Received header on top. */
    private static String asDelivered(String message) {
        return message.replace("\r\n", "\n");
    }

    @Test
    void stlsWithKeepFetchesOnlyNewMessagesTheSecondTime() throws Exception {
        ExternalProcess first = fetchmail(server.pop3Port(), "sslproto tls1.2+", true);
        assertThat(first.exitCode()).as(first.stderr() + first.stdout()).isZero();
        List<String> firstRun = deliveredMessages();
        assertThat(firstRun).hasSize(2);
        assertThat(firstRun.get(0)).endsWith(asDelivered(MSG1));
        assertThat(firstRun.get(1)).endsWith(asDelivered(MSG2));
        assertThat(server.inboxMessages(alice.id())).as("keep").hasSize(2);

        server.deliver(alice.id(), MSG3);
        ExternalProcess second = fetchmail(server.pop3Port(), "sslproto tls1.2+", true);
        assertThat(second.exitCode()).as(second.stderr() + second.stdout()).isZero();
        List<String> both = deliveredMessages();
        assertThat(both).as("only the new message, recognised by UIDL").hasSize(3);
        assertThat(both.get(2)).endsWith(asDelivered(MSG3));
        assertThat(server.inboxMessages(alice.id())).hasSize(3);
    }

    @Test
    void pop3sWithoutKeepEmptiesTheMaildrop() throws Exception {
        ExternalProcess run = fetchmail(server.pop3sPort(), "ssl", false);
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        List<String> got = deliveredMessages();
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).endsWith(asDelivered(MSG1));
        assertThat(got.get(1)).endsWith(asDelivered(MSG2));
        assertThat(server.inboxMessages(alice.id())).isEmpty();

        ExternalProcess again = fetchmail(server.pop3sPort(), "ssl", false);
        assertThat(again.exitCode()).as("fetchmail's 'no mail' status").isEqualTo(1);
    }
}
