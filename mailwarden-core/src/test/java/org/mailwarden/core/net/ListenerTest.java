package org.mailwarden.core.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.mailwarden.core.testing.TestTls;

class ListenerTest {

    @TempDir
    static Path tlsDir;
    static TlsSupport tls;
    static SSLContext client;

    private final List<Listener> listeners = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void identity() throws Exception {
        tls = TestTls.serverIdentity(tlsDir);
        client = TestTls.trustAllClient();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (Listener l : listeners) {
            l.shutdown(Duration.ofSeconds(5));
        }
    }

    private Listener start(Listener.Builder builder) throws IOException {
        Listener listener = builder.build();
        listener.start();
        listeners.add(listener);
        return listener;
    }

    private static InetSocketAddress any() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    private Socket connect(Listener listener) throws IOException {
        return connectFrom(listener, "127.0.0.1");
    }

    private Socket connectFrom(Listener listener, String clientIp) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(clientIp, 0));
        s.connect(listener.localAddress());
        s.setSoTimeout(10_000);
        return s;
    }

    private static BufferedReader lines(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(US_ASCII));
        out.flush();
    }

    private static void reply(Connection c, String text) throws IOException {
        c.output().write((text + "\r\n").getBytes(US_ASCII));
        c.output().flush();
    }

    /** Greets, then answers each line with "echo: LINE" until QUIT, the end of the stream or draining. */
    private static final ConnectionHandler ECHO = new ConnectionHandler() {
        @Override
        public void handle(Connection c) throws IOException {
            reply(c, "hello " + c.id() + " " + Listener.format(c.clientAddress()) + " "
                    + c.tls().map(Connection.TlsInfo::description).orElse("plain"));
            while (true) {
                Line line = c.reader().readLine();
                if (line.isEof() || line.ascii().equals("QUIT") || c.isDraining()) {
                    reply(c, "bye");
                    return;
                }
                reply(c, "echo: " + line.ascii());
            }
        }

        @Override
        public void rejectBusy(Connection c) throws IOException {
            reply(c, "busy");
        }
    };

    @Test
    void servesEachConnectionWithItsOwnIdAndAddresses() throws Exception {
        Listener listener = start(Listener.builder("test", any(), ECHO));
        Socket a = connect(listener);
        Socket b = connectFrom(listener, "127.0.0.5");
        String helloA = lines(a).readLine();
        String helloB = lines(b).readLine();
        assertThat(helloA).matches("hello [0-9A-Z]{10} 127\\.0\\.0\\.1:\\d+ plain");
        assertThat(helloB).matches("hello [0-9A-Z]{10} 127\\.0\\.0\\.5:" + b.getLocalPort() + " plain");
        assertThat(helloA.split(" ")[1]).isNotEqualTo(helloB.split(" ")[1]);
        send(a, "NOOP\r\n");
        assertThat(lines(a).readLine()).isEqualTo("echo: NOOP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void implicitTlsSpeaksTls12And13(String protocol) throws Exception {
        Listener listener = start(Listener.builder("tls", any(), ECHO).implicitTls(tls::context));
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.localAddress().getPort());
        sockets.add(s);
        s.setEnabledProtocols(new String[] {protocol});
        s.startHandshake();
        assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
        assertThat(TlsPolicy.isStrong(s.getSession().getCipherSuite())).isTrue();
        assertThat(lines(s).readLine()).endsWith(" " + protocol + " with cipher " + s.getSession().getCipherSuite());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1"})
    void implicitTlsRefusesOldProtocols(String protocol) throws Exception {
        Listener listener = start(Listener.builder("tls", any(), ECHO).implicitTls(tls::context));
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.localAddress().getPort());
        sockets.add(s);
        assertThat(s.getSupportedProtocols()).contains(protocol);
        s.setEnabledProtocols(new String[] {protocol});
        assertThatThrownBy(s::startHandshake).isInstanceOf(SSLException.class);
    }

    @Test
    void theJdkItselfWouldAllowTls11InTheseTests() throws Exception {
        // the control for the two tests above: without TlsPolicy the same context negotiates TLS 1.1
        try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) tls.context()
                .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setEnabledProtocols(new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"});
            server.setEnabledCipherSuites(server.getSupportedCipherSuites());
            CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    return s.getSession().getProtocol();
                } catch (IOException e) {
                    return e.toString();
                }
            });
            SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort());
            sockets.add(s);
            s.setEnabledProtocols(new String[] {"TLSv1.1"});
            s.startHandshake();
            assertThat(accepted.get()).isEqualTo("TLSv1.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"})
    void implicitTlsRefusesWeakCipherSuites(String suite) throws Exception {
        Listener listener = start(Listener.builder("tls", any(), ECHO).implicitTls(tls::context));
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.localAddress().getPort());
        sockets.add(s);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setEnabledCipherSuites(new String[] {suite});
        assertThatThrownBy(s::startHandshake).isInstanceOf(SSLException.class);
    }

    /** A STARTTLS session: the reply goes out in clear, then the upgrade; reports what it discarded. */
    private static final class StartTlsHandler implements ConnectionHandler {
        final CompletableFuture<Integer> discarded = new CompletableFuture<>();
        final List<String> commands = new CopyOnWriteArrayList<>();

        @Override
        public void handle(Connection c) throws IOException {
            reply(c, "ready");
            while (true) {
                Line line = c.reader().readLine();
                if (line.isEof()) {
                    return;
                }
                commands.add(line.ascii());
                if (line.ascii().equals("STARTTLS")) {
                    reply(c, "220 Ready to start TLS");
                    discarded.complete(c.startTls(tls.context()));
                    continue;
                }
                reply(c, "250 " + line.ascii() + (c.isTls() ? " over " + c.tls().orElseThrow().protocol() : " in clear"));
            }
        }
    }

    @Test
    void startTlsUpgradesInPlace() throws Exception {
        StartTlsHandler handler = new StartTlsHandler();
        Listener listener = start(Listener.builder("starttls", any(), handler));
        Socket plain = connect(listener);
        BufferedReader in = lines(plain);
        assertThat(in.readLine()).isEqualTo("ready");
        send(plain, "EHLO\r\n");
        assertThat(in.readLine()).isEqualTo("250 EHLO in clear");
        send(plain, "STARTTLS\r\n");
        assertThat(in.readLine()).isEqualTo("220 Ready to start TLS");
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        s.startHandshake();
        send(s, "EHLO\r\n");
        assertThat(lines(s).readLine()).isEqualTo("250 EHLO over " + s.getSession().getProtocol());
        assertThat(handler.discarded.get()).isZero();
    }

    @Test
    void repliesAreNotHeldBackByNagle() throws Exception {
        // With Nagle on, the reply after a STARTTLS handshake waited for the client's delayed ACK of the
        // server's session ticket: about 40 ms per session (measured with bench/run --scenarios smtp-tls).
        CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
        Listener listener = start(Listener.builder("nodelay", any(), c -> {
            noDelay.complete(c.sendsSmallWritesAtOnce());
            reply(c, "ready");
        }));
        Socket s = connect(listener);
        assertThat(lines(s).readLine()).isEqualTo("ready");
        assertThat(noDelay.get()).isTrue();
    }

    @Test
    void startTlsDiscardsCommandsPipelinedInPlaintext() throws Exception {
        StartTlsHandler handler = new StartTlsHandler();
        Listener listener = start(Listener.builder("starttls", any(), handler));
        Socket plain = connect(listener);
        BufferedReader in = lines(plain);
        assertThat(in.readLine()).isEqualTo("ready");
        // a man in the middle appends a command to the client's STARTTLS (CVE-2011-0411)
        send(plain, "STARTTLS\r\nRCPT TO:<victim@example.test>\r\n");
        assertThat(in.readLine()).isEqualTo("220 Ready to start TLS");
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        s.startHandshake();
        send(s, "NOOP\r\n");
        assertThat(lines(s).readLine()).isEqualTo("250 NOOP over " + s.getSession().getProtocol());
        assertThat(handler.discarded.get()).isEqualTo("RCPT TO:<victim@example.test>\r\n".length());
        assertThat(handler.commands).containsExactly("STARTTLS", "NOOP");
    }

    @Test
    void perClientLimitRefusesTheExtraConnectionWithTheBusyReply() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(10, 2));
        Listener listener = start(Listener.builder("limited", any(), ECHO).limiter(limiter));
        Socket first = connectFrom(listener, "127.0.0.2");
        Socket second = connectFrom(listener, "127.0.0.2");
        assertThat(lines(first).readLine()).startsWith("hello");
        assertThat(lines(second).readLine()).startsWith("hello");

        Socket third = connectFrom(listener, "127.0.0.2");
        BufferedReader thirdIn = lines(third);
        assertThat(thirdIn.readLine()).isEqualTo("busy");
        assertThat(thirdIn.readLine()).isNull();

        Socket other = connectFrom(listener, "127.0.0.3");
        assertThat(lines(other).readLine()).startsWith("hello");

        send(first, "QUIT\r\n");
        assertThat(lines(first).readLine()).isEqualTo("bye");
        await().until(() -> limiter.count(InetAddress.getByName("127.0.0.2")) == 1);
        assertThat(lines(connectFrom(listener, "127.0.0.2")).readLine()).startsWith("hello");
    }

    @Test
    void totalLimitIsSharedByListenersOfOneLimiter() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(2, 2));
        Listener one = start(Listener.builder("one", any(), ECHO).limiter(limiter));
        Listener two = start(Listener.builder("two", any(), ECHO).limiter(limiter));
        assertThat(lines(connectFrom(one, "127.0.0.2")).readLine()).startsWith("hello");
        assertThat(lines(connectFrom(two, "127.0.0.3")).readLine()).startsWith("hello");
        assertThat(lines(connectFrom(two, "127.0.0.4")).readLine()).isEqualTo("busy");
        assertThat(limiter.total()).isEqualTo(2);
    }

    @Test
    void implicitTlsListenerSendsTheBusyReplyOverTls() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(1, 1));
        Listener listener = start(Listener.builder("tls", any(), ECHO).implicitTls(tls::context).limiter(limiter));
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.localAddress().getPort());
            sockets.add(s);
            s.setSoTimeout(10_000);
            replies.add(lines(s).readLine());
        }
        assertThat(replies.get(0)).startsWith("hello");
        assertThat(replies.get(1)).isEqualTo("busy");
    }

    @Test
    void idleTimeout() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        Listener listener = start(Listener.builder("idle", any(), c -> {
            try {
                c.reader().readLine();
            } catch (IdleTimeoutException e) {
                timeouts.incrementAndGet();
                reply(c, "421 idle too long");
            }
        }).idleTimeout(Duration.ofMillis(200)));
        BufferedReader in = lines(connect(listener));
        assertThat(in.readLine()).isEqualTo("421 idle too long");
        assertThat(in.readLine()).isNull();
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void idleTimeoutSetByTheSession() throws Exception {
        Listener listener = start(Listener.builder("idle", any(), c -> {
            c.setIdleTimeout(Duration.ofMillis(100));
            c.reader().readLine();
        }));
        assertThat(lines(connect(listener)).readLine()).isNull();
    }

    @Test
    void aClientThatStopsReadingIsDisconnected() throws Exception {
        CompletableFuture<Exception> writerFailure = new CompletableFuture<>();
        Listener listener = start(Listener.builder("flood", any(), c -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    c.output().write(chunk);
                    c.output().flush();
                }
            } catch (IOException e) {
                writerFailure.complete(e);
                throw e;
            }
        }).idleTimeout(Duration.ofMillis(300)));
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(listener.localAddress());
        // never read: the server's writes block once the socket buffers are full
        assertThat(writerFailure.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(java.net.SocketException.class);
        await().until(() -> listener.activeConnections() == 0);
    }

    @Test
    void closeStopsAcceptingButRunningSessionsContinue() throws Exception {
        Listener listener = start(Listener.builder("closing", any(), ECHO));
        Socket s = connect(listener);
        BufferedReader in = lines(s);
        assertThat(in.readLine()).startsWith("hello");
        listener.close();
        assertThatThrownBy(() -> connect(listener)).isInstanceOf(ConnectException.class);
        send(s, "NOOP\r\n");
        assertThat(in.readLine()).isEqualTo("echo: NOOP");
    }

    @Test
    void shutdownWaitsForSessionsThatFinish() throws Exception {
        Listener listener = start(Listener.builder("graceful", any(), ECHO));
        Socket s = connect(listener);
        BufferedReader in = lines(s);
        assertThat(in.readLine()).startsWith("hello");
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.shutdown(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().untilAsserted(() -> assertThatThrownBy(() -> connect(listener)).isInstanceOf(ConnectException.class));
        send(s, "NOOP\r\n");
        assertThat(in.readLine()).isEqualTo("bye");
        assertThat(done.get()).isTrue();
        assertThat(listener.activeConnections()).isZero();
    }

    @Test
    void shutdownClosesSessionsStillOpenAtTheDeadline() throws Exception {
        Listener listener = start(Listener.builder("forced", any(), ECHO));
        Socket s = connect(listener);
        BufferedReader in = lines(s);
        assertThat(in.readLine()).startsWith("hello");
        assertThat(listener.shutdown(Duration.ofMillis(100))).isFalse();
        assertThat(in.readLine()).isNull();
        assertThat(listener.activeConnections()).isZero();
    }

    @Test
    void trustedProxySuppliesTheRealClientAddressForLimitsAndSessions() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(10, 1));
        Listener listener = start(Listener.builder("proxied", any(), ECHO).limiter(limiter)
                .proxyProtocolFrom(List.of(org.mailwarden.core.policy.IpRange.parse("127.0.0.0/24"))));
        Socket first = connect(listener);
        send(first, "PROXY TCP4 203.0.113.7 192.0.2.1 40000 25\r\n");
        assertThat(lines(first).readLine()).matches("hello \\w+ 203\\.0\\.113\\.7:40000 plain");
        // the same load balancer, another client: its own per-IP count
        Socket second = connect(listener);
        send(second, "PROXY TCP4 203.0.113.8 192.0.2.1 40001 25\r\n");
        assertThat(lines(second).readLine()).matches("hello \\w+ 203\\.0\\.113\\.8:40001 plain");
        // the first client again: over its limit of one
        Socket third = connect(listener);
        send(third, "PROXY TCP4 203.0.113.7 192.0.2.1 40002 25\r\n");
        assertThat(lines(third).readLine()).isEqualTo("busy");
    }

    @Test
    void aTrustedProxyWithoutHeaderIsDisconnected() throws Exception {
        Listener listener = start(Listener.builder("proxied", any(), ECHO)
                .proxyProtocolFrom(List.of(org.mailwarden.core.policy.IpRange.parse("127.0.0.1"))));
        Socket s = connect(listener);
        send(s, "EHLO client.example.test\r\n");
        assertThat(lines(s).readLine()).isNull();
    }

    @Test
    void aProxyHeaderFromAnUntrustedPeerIsJustProtocolInput() throws Exception {
        Listener listener = start(Listener.builder("direct", any(), ECHO)
                .proxyProtocolFrom(List.of(org.mailwarden.core.policy.IpRange.parse("10.0.0.0/8"))));
        Socket s = connect(listener);
        BufferedReader in = lines(s);
        assertThat(in.readLine()).matches("hello \\w+ 127\\.0\\.0\\.1:\\d+ plain");
        send(s, "PROXY TCP4 203.0.113.7 192.0.2.1 40000 25\r\n");
        assertThat(in.readLine()).isEqualTo("echo: PROXY TCP4 203.0.113.7 192.0.2.1 40000 25");
    }

    @Test
    void proxyHeaderBeforeImplicitTls() throws Exception {
        Listener listener = start(Listener.builder("proxied-tls", any(), ECHO).implicitTls(tls::context)
                .proxyProtocolFrom(List.of(org.mailwarden.core.policy.IpRange.parse("127.0.0.1"))));
        Socket plain = connect(listener);
        send(plain, "PROXY TCP6 2001:db8::7 2001:db8::1 40000 993\r\n");
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        s.startHandshake();
        assertThat(lines(s).readLine()).startsWith("hello ").contains(" [2001:db8:0:0:0:0:0:7]:40000 TLSv1.3");
    }

    @Test
    void logsOneLineOnConnectAndOneOnDisconnect() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Listener.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Listener listener = start(Listener.builder("logged", any(), ECHO));
            Socket s = connectFrom(listener, "127.0.0.9");
            BufferedReader in = lines(s);
            String id = in.readLine().split(" ")[1];
            send(s, "QUIT\r\n");
            assertThat(in.readLine()).isEqualTo("bye");
            await().until(() -> appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("disconnected")));
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("conn=" + id)).toList();
            String client = "127.0.0.9:" + s.getLocalPort();
            assertThat(lines).hasSize(2);
            assertThat(lines.getFirst()).isEqualTo("conn=" + id + " client=" + client + " connected to logged "
                    + Listener.format(listener.localAddress()));
            assertThat(lines.get(1)).matches("conn=" + id + " client=" + client.replace(".", "\\.")
                    + " disconnected after \\d+ ms, 6 bytes in, \\d+ bytes out: closed");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void bindFailureSaysWhatToDo() throws Exception {
        Listener first = start(Listener.builder("first", any(), ECHO));
        Listener second = Listener.builder("second", first.localAddress(), ECHO).build();
        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen for second on " + Listener.format(first.localAddress()))
                .hasMessageEndingWith("(another process listens there; stop it or choose another port in [listen])");
    }
}
