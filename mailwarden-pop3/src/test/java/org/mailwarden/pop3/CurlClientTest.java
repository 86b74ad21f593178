package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ExternalProcess;

/**
 * {@code curl} against the server with {@code pop3://} (STLS required, and plain text where allowed) and
 * {@code pop3s://} URLs: LIST, RETR byte for byte, UIDL, TOP and DELE, and its refusal to log in over
 * plain text when the server does not allow it.
 */
class CurlClientTest extends Pop3ClientTestBase {

    static final String MSG1 = "From: bob@elsewhere.test\r\nSubject: curl one\r\n\r\n.leading dot\r\nend\r\n";
    static final String MSG2 = "From: carol@elsewhere.test\r\nSubject: curl two\r\n\r\nsecond\r\n";

    @BeforeAll
    static void clientInstalled() {
        assumeTrue(ExternalProcess.available("curl"), "curl is not installed");
    }

    @Override
    List<String> messages() {
        return List.of(MSG1, MSG2);
    }

    private ExternalProcess curl(String url, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--insecure",
                "--max-time", "30", "--user", "EXAMPLE\\alice:alice-secret"));
        command.addAll(List.of(extra));
        command.add(url);
        return ExternalProcess.run(workDir, command);
    }

    private String pop3(String path, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--ssl-reqd"));
        args.addAll(List.of(extra));
        return curl("pop3://127.0.0.1:" + server.pop3Port() + path, args.toArray(String[]::new)).assertSucceeded().stdout();
    }

    private String pop3s(String path, String... extra) throws Exception {
        return curl("pop3s://127.0.0.1:" + server.pop3sPort() + path, extra).assertSucceeded().stdout();
    }

    @Test
    void listAndRetrOverStls() throws Exception {
        assertThat(pop3("/")).isEqualTo("1 " + MSG1.length() + "\r\n2 " + MSG2.length() + "\r\n");
        assertThat(pop3("/1")).as("curl unstuffs: the exact stored bytes").isEqualTo(MSG1);
        assertThat(pop3("/2")).isEqualTo(MSG2);
    }

    @Test
    void uidlTopAndDeleOverPop3s() throws Exception {
        long validity = server.inbox(alice.id()).uidValidity();
        List<Long> uids = server.inboxMessages(alice.id()).stream().map(m -> m.uid()).toList();
        assertThat(pop3s("/", "--request", "UIDL"))
                .isEqualTo("1 " + validity + "." + uids.get(0) + "\r\n2 " + validity + "." + uids.get(1) + "\r\n");
        assertThat(pop3s("/", "--request", "TOP 1 1"))
                .isEqualTo("From: bob@elsewhere.test\r\nSubject: curl one\r\n\r\n.leading dot\r\n");
        pop3s("/1", "--request", "DELE", "--list-only");
        assertThat(server.inboxMessages(alice.id())).extracting(m -> m.uid()).containsExactly(uids.get(1));
        assertThat(pop3s("/")).isEqualTo("1 " + MSG2.length() + "\r\n");
    }

    @Test
    void plainTextLoginOnlyWhereAllowed() throws Exception {
        ExternalProcess refused = curl("pop3://127.0.0.1:" + server.pop3Port() + "/1");
        assertThat(refused.exitCode()).as("curl finds no mechanism it may use without TLS").isNotZero();
        assertThat(server.inboxMessages(alice.id())).hasSize(2);

        server.allowPlaintext();
        assertThat(curl("pop3://127.0.0.1:" + server.pop3Port() + "/1").assertSucceeded().stdout()).isEqualTo(MSG1);
    }
}
