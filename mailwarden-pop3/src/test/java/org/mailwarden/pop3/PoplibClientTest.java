package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ExternalProcess;

/**
 * Python's {@code poplib} against the server, over STLS and over POP3S: capabilities, counts, sizes,
 * UIDL, TOP, RETR content byte for byte, and DELE then QUIT.
 */
class PoplibClientTest extends Pop3ClientTestBase {

    static final String MSG1 = "From: bob@elsewhere.test\r\nSubject: first\r\n\r\nHello Alice.\r\n.\r\n..two dots\r\n";
    static final String MSG2 = "From: carol@elsewhere.test\r\nSubject: second\r\n\r\nline 1\r\nline 2\r\n";

    Path script;

    @Override
    List<String> messages() {
        return List.of(MSG1, MSG2);
    }

    @BeforeEach
    void prepareClient() throws Exception {
        script = workDir.resolve("poplib_client.py");
        try (InputStream in = getClass().getResourceAsStream("/pop3/poplib_client.py")) {
            Files.copy(in, script);
        }
    }

    private List<String> poplib(int port, String mode, String user, String deletes) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        ExternalProcess p = ExternalProcess.run(workDir, List.of(python, script.toString(), "127.0.0.1",
                String.valueOf(port), mode, user, "alice-secret", deletes)).assertSucceeded();
        return p.stdout().lines().toList();
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static List<String> starting(List<String> lines, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith(prefix + " ")) {
                out.add(l.substring(prefix.length() + 1));
            }
        }
        return out;
    }

    @Test
    void stlsSessionReadsEverythingAndDeletes() throws Exception {
        long validity = server.inbox(alice.id()).uidValidity();
        List<Long> uids = server.inboxMessages(alice.id()).stream().map(m -> m.uid()).toList();
        List<String> out = poplib(server.pop3Port(), "stls", "EXAMPLE\\alice", "1");

        assertThat(starting(out, "capa")).contains("TOP", "UIDL", "USER", "PIPELINING", "RESP-CODES", "SASL");
        int total = MSG1.length() + MSG2.length();
        assertThat(starting(out, "stat")).containsExactly("2 " + total);
        assertThat(starting(out, "list")).containsExactly("1 " + MSG1.length(), "2 " + MSG2.length());
        assertThat(starting(out, "uidl")).containsExactly("1 " + validity + "." + uids.get(0), "2 " + validity + "." + uids.get(1));
        List<String> retr = starting(out, "retr");
        assertThat(decode(retr.get(0).substring(2))).as("poplib unstuffs: the exact stored message").isEqualTo(MSG1);
        assertThat(decode(retr.get(1).substring(2))).isEqualTo(MSG2);
        List<String> top = starting(out, "top");
        assertThat(decode(top.get(0).substring(2))).isEqualTo("From: bob@elsewhere.test\r\nSubject: first\r\n\r\n");
        assertThat(starting(out, "quit").getFirst()).startsWith("+OK").contains("1 messages deleted");

        assertThat(server.inboxMessages(alice.id())).extracting(m -> m.uid()).containsExactly(uids.get(1));
    }

    @Test
    void pop3sSessionWithoutDeletingKeepsTheMaildrop() throws Exception {
        List<String> out = poplib(server.pop3sPort(), "ssl", "alice@example.test", "");
        assertThat(starting(out, "stat")).containsExactly("2 " + (MSG1.length() + MSG2.length()));
        assertThat(starting(out, "capa")).doesNotContain("STLS");
        assertThat(decode(starting(out, "retr").get(1).substring(2))).isEqualTo(MSG2);
        assertThat(server.inboxMessages(alice.id())).hasSize(2);
        List<String> again = poplib(server.pop3sPort(), "ssl", "alice", "1,2");
        assertThat(starting(again, "uidl")).isEqualTo(starting(out, "uidl"));
        assertThat(server.inboxMessages(alice.id())).isEmpty();
    }
}
