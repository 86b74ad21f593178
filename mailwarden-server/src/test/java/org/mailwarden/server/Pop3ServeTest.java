package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.testing.TestContent;

/** {@code serve} with the POP3 service: an account's INBOX is read over the configured POP3S listener. */
class Pop3ServeTest {

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
    void pop3sListenerServesTheInbox() throws Exception {
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)),
                List.of(new Pop3ProtocolService()));
        server.store().domains().add("example.test", "EXAMPLE");
        StoredPassword password = StoredPassword.derive(new PasswordHasher(), "alice-secret");
        long alice = server.store().accounts().add("alice", "example.test", password.passwordHash(),
                password.scramSha256()).id();
        String message = "Subject: served\r\n\r\nhello\r\n";
        server.store().accept(new AcceptRequest("Q1", "bob@elsewhere.test", TestContent.of(message),
                List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null));

        try (Socket s = tlsSocket(server.address(ListenerRole.POP3S).getPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
            out.write("USER EXAMPLE\\alice\r\nPASS alice-secret\r\nRETR 1\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("+OK send PASS");
            assertThat(in.readLine()).isEqualTo("+OK maildrop has 1 messages (" + message.length() + " octets)");
            assertThat(in.readLine()).isEqualTo("+OK " + message.length() + " octets");
            assertThat(List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine()))
                    .containsExactly("Subject: served", "", "hello", ".");
            assertThat(in.readLine()).startsWith("+OK");
        }
        try (Socket s = new Socket("127.0.0.1", server.address(ListenerRole.POP3).getPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("+OK mx.example.test POP3 server ready");
            s.getOutputStream().write("USER alice\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("no password in clear by default").startsWith("-ERR [AUTH]");
        }
    }

    private static Socket tlsSocket(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        s.startHandshake();
        return s;
    }
}
