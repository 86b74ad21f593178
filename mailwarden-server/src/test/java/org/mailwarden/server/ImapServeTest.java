package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.testing.WireConnection;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;

/** The IMAP service as {@code serve} runs it: a user reads over IMAPS the message delivered to its INBOX. */
class ImapServeTest extends ServeTestBase {

    @Test
    void aUserReadsItsInboxOverImaps() throws Exception {
        Store store = start(ProtocolServices.builtIn()).store();
        long alice = addAlice();
        store.accept(new AcceptRequest("Q1", "bob@remote.test", TestContent.of("Subject: hi\r\n\r\nhello\r\n"),
                List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null));

        try (WireConnection c = WireConnection.connectTls(server.address(ListenerRole.IMAPS).getPort())) {
            assertThat(c.readLine()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=SCRAM-SHA-256 AUTH=PLAIN");
            c.send("a LOGIN alice@example.test \"" + PASSWORD + "\"\r\nb SELECT INBOX\r\nc FETCH 1 BODY[TEXT]\r\n");
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = c.readLine()) != null && !line.startsWith("c ")) {
                lines.add(line);
            }
            assertThat(line).isEqualTo("c OK FETCH completed");
            assertThat(lines).contains("* 1 EXISTS", "* 1 FETCH (FLAGS (\\Seen) BODY[TEXT] {7}", "hello");
        }
    }
}
