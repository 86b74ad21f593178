package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
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
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestContent;

/** The IMAP service as {@code serve} runs it: a user reads over IMAPS the message delivered to its INBOX. */
class ImapServeTest {

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
    void aUserReadsItsInboxOverImaps() throws Exception {
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)),
                ProtocolServices.builtIn());
        Store store = server.store();
        store.domains().add("example.test", null);
        StoredPassword pw = StoredPassword.derive(new PasswordHasher(), "a long enough password");
        long alice = store.accounts().add("alice", "example.test", pw.passwordHash(), pw.scramSha256()).id();
        store.accept(new AcceptRequest("Q1", "bob@remote.test", TestContent.of("Subject: hi\r\n\r\nhello\r\n"),
                List.of(new AcceptRequest.LocalDelivery(alice, "INBOX")), null, List.of(), false, null, null));

        InetSocketAddress imaps = server.address(ListenerRole.IMAPS);
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
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
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket(imaps.getAddress(), imaps.getPort())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=SCRAM-SHA-256 AUTH=PLAIN");
            out.write("a LOGIN alice@example.test \"a long enough password\"\r\nb SELECT INBOX\r\nc FETCH 1 BODY[TEXT]\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("c ")) {
                lines.add(line);
            }
            assertThat(line).isEqualTo("c OK FETCH completed");
            assertThat(lines).contains("* 1 EXISTS", "* 1 FETCH (FLAGS (\\Seen) BODY[TEXT] {7}", "hello");
        }
    }
}
