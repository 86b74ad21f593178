package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.admin.cli.AdminEnvironment;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Stores;

/**
 * {@code serve} delivers the outbound queue: a queued message reaches a next hop on loopback, and
 * {@code mailwarden queue retry} run against the same data directory reaches the running server.
 */
class ServeDeliveryTest extends ServeTestBase {

    private ScriptedHop hop;
    private final AtomicInteger refusals = new AtomicInteger();

    @AfterEach
    void stopHelpers() throws IOException {
        if (hop != null) {
            hop.close();
        }
    }

    @Test
    void theRunningServerDeliversAndFollowsQueueRetry() throws Exception {
        hop = new ScriptedHop(rcpt -> refusals.incrementAndGet() == 1 ? "451 4.3.0 try again later" : null);
        start(List.of());
        server.store().routes().put("remote.test", new HostPort("127.0.0.1", hop.port()));
        server.store().accept(new AcceptRequest("QSERVE1", "", null, List.of(), content("Subject: hi\r\n\r\nx\r\n"),
                List.of(new AcceptRequest.OutboundRecipient("bob@remote.test", null, null)), false, null, null));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.store().queue().find("QSERVE1")
                .map(m -> m.recipients().getFirst().state() == RecipientState.DEFERRED).orElse(false));
        assertThat(server.store().queue().find("QSERVE1").orElseThrow().recipients().getFirst().lastReply())
                .isEqualTo("451 4.3.0 try again later");

        assertThat(cli("queue", "retry", "QSERVE1")).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> server.store().queue().find("QSERVE1").isEmpty());
        assertThat(hop.delivered()).containsExactly("<bob@remote.test>");
    }

    private static MessageContent content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(bytes);
            }
        };
    }

    private int cli(String... args) throws IOException {
        Path config = dir.resolve("cli.toml");
        Files.writeString(config, "data_dir = \"" + dir + "\"\n");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        StringWriter err = new StringWriter();
        AdminEnvironment env = new AdminEnvironment(InputStream.nullInputStream(), Stores::open, new PasswordHasher());
        int status = Main.execute(all, env, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(err.toString()).isEmpty();
        return status;
    }
}
