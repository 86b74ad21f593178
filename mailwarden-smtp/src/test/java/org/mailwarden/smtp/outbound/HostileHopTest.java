package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;

/**
 * Next hops that misbehave: garbage, silence, a dropped connection mid-DATA, replies in odd pieces. Each
 * ends in a deferral with the reason recorded, never a stuck worker or a lost message.
 */
class HostileHopTest extends HarnessTestBase {

    private Harness harness() {
        h = new Harness(dir).timeouts(ClientTimeouts.all(Duration.ofMillis(800)));
        return h;
    }

    private QueuedRecipient deferredOnce(String id) {
        h.waitFor(() -> h.recipient(id, "bob@remote.test").attempts() >= 1);
        QueuedRecipient r = h.recipient(id, "bob@remote.test");
        assertThat(r.state()).isEqualTo(RecipientState.DEFERRED);
        return r;
    }

    /** A server that sends {@code greeting} as raw bytes to everyone and then reads until the client leaves. */
    private static ServerSocket rawServer(byte[] greeting) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(greeting);
                    out.flush();
                    InputStream in = s.getInputStream();
                    s.setSoTimeout(5000);
                    while (in.read() >= 0) {
                        // swallow
                    }
                } catch (IOException e) {
                    // next client
                }
            }
        });
        return server;
    }

    @Test
    void aGarbageGreetingDefers() throws Exception {
        harness();
        try (ServerSocket server = rawServer("\u0000\u00ff garbage \r\n".getBytes(StandardCharsets.ISO_8859_1))) {
            h.store.routes().put("remote.test", new HostPort("127.0.0.1", server.getLocalPort()));
            String id = h.queue("alice@example.test", true, "Subject: g\r\n\r\nx\r\n", "bob@remote.test");
            h.start();
            assertThat(deferredOnce(id).lastReply()).startsWith("4.4.2 127.0.0.1").contains("during greeting")
                    .contains("garbled reply");
        }
    }

    @Test
    void aServerThatNeverAnswersDefersAfterTheTimeout() throws Exception {
        harness();
        try (ServerSocket server = rawServer(new byte[0])) {
            h.store.routes().put("remote.test", new HostPort("127.0.0.1", server.getLocalPort()));
            String id = h.queue("alice@example.test", true, "Subject: s\r\n\r\nx\r\n", "bob@remote.test");
            h.start();
            assertThat(deferredOnce(id).lastReply()).contains("during greeting").contains("no reply within");
        }
    }

    @Test
    void aServerThatStallsAfterDataDefersAndTheNextAttemptDelivers() throws Exception {
        harness();
        AtomicInteger dots = new AtomicInteger();
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> verb.equals("DOT") && dots.incrementAndGet() == 1 ? SmtpSink.STALL : null;
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String id = h.queue("alice@example.test", true, "Subject: s\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        assertThat(deferredOnce(id).lastReply()).startsWith("4.4.2 lost connection with 127.0.0.1").contains("no reply");
        h.clock.advance(Duration.ofMinutes(5));
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).hasSize(1);
    }

    @Test
    void aConnectionDroppedMidDataDefersAndTheMessageIsNotLost() throws Exception {
        harness();
        AtomicInteger datas = new AtomicInteger();
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> verb.equals("DOT") && datas.incrementAndGet() == 1 ? SmtpSink.DROP : null;
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String body = "Subject: big\r\n\r\n" + "line of text\r\n".repeat(20_000);
        String id = h.queue("alice@example.test", true, body, "bob@remote.test");
        h.start();
        assertThat(deferredOnce(id).lastReply()).startsWith("4.4.2 lost connection with 127.0.0.1");
        h.clock.advance(Duration.ofMinutes(5));
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.text()).isEqualTo(body));
    }

    @Test
    void repliesWrittenOneByteAtATimeAreUnderstood() throws Exception {
        harness();
        SmtpSink.Config config = new SmtpSink.Config();
        config.trickle = true;
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String id = h.queue("alice@example.test", true, "Subject: t\r\n\r\nx\r\n", "bob@remote.test", "carol@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.rcptTo()).hasSize(2));
    }

    @Test
    void aServerClosingWith421DefersEveryoneItDidNotAccept() throws Exception {
        harness();
        SmtpSink.Config config = new SmtpSink.Config();
        config.responder = (verb, arg) -> verb.equals("MAIL") ? "421 4.7.0 too busy, closing" : null;
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String id = h.queue("alice@example.test", true, "Subject: t\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        assertThat(deferredOnce(id).lastReply()).isEqualTo("421 4.7.0 too busy, closing");
    }

    @Test
    void aHostThatRefusesConnectionsDefersWithTheReason() {
        harness();
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", 1));
        String id = h.queue("alice@example.test", true, "Subject: r\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        assertThat(deferredOnce(id).lastReply()).startsWith("4.4.1 connect to 127.0.0.1[127.0.0.1]:1: ");
    }
}
