package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.testing.WireConnection;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.testing.TestContent;

/** {@code serve} with the POP3 service: an account's INBOX is read over the configured POP3S listener. */
class Pop3ServeTest extends ServeTestBase {

    @Test
    void pop3sListenerServesTheInbox() throws Exception {
        start(List.of(new Pop3ProtocolService()));
        server.store().domains().add("example.test", "EXAMPLE");
        StoredPassword password = StoredPassword.derive(new PasswordHasher(), "alice-secret");
        long alice = server.store().accounts().add("alice", "example.test", password.passwordHash(),
                password.scramSha256()).id();
        String message = "Subject: served\r\n\r\nhello\r\n";
        server.store().accept(new AcceptRequest("Q1", "bob@elsewhere.test", TestContent.of(message),
                List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null));

        try (WireConnection c = WireConnection.connectTls(server.address(ListenerRole.POP3S).getPort())) {
            assertThat(c.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
            c.send("USER EXAMPLE\\alice\r\nPASS alice-secret\r\nRETR 1\r\nQUIT\r\n");
            assertThat(c.readLine()).isEqualTo("+OK send PASS");
            assertThat(c.readLine()).isEqualTo("+OK maildrop has 1 messages (" + message.length() + " octets)");
            assertThat(c.readLine()).isEqualTo("+OK " + message.length() + " octets");
            assertThat(List.of(c.readLine(), c.readLine(), c.readLine(), c.readLine()))
                    .containsExactly("Subject: served", "", "hello", ".");
            assertThat(c.readLine()).startsWith("+OK");
        }
        try (WireConnection c = WireConnection.connect(server.address(ListenerRole.POP3).getPort())) {
            assertThat(c.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
            c.send("USER alice\r\n");
            assertThat(c.readLine()).as("no password in clear by default").startsWith("-ERR [AUTH]");
        }
    }
}
