package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.store.Queue.RecipientState;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.RouteOptions;

/** STARTTLS to the next hop, verified TLS where a route requires it, and AUTH to a smarthost. */
class TlsDeliveryTest extends HarnessTestBase {

    private TlsSupport sinkIdentity;

    @BeforeEach
    void identity() throws Exception {
        sinkIdentity = TlsSupport.open(dir.resolve("cert.pem"), dir.resolve("key.pem"), "sink.test");
    }

    private SmtpSink tlsSink(boolean requireAuth) throws Exception {
        SmtpSink.Config config = new SmtpSink.Config();
        config.tls = sinkIdentity.context();
        config.requireAuth = requireAuth;
        return SmtpSink.start(config);
    }

    /** Trust exactly the sink's self-signed certificate. */
    private ClientTls trustingTheSink() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sink", sinkIdentity.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return ClientTls.withTrust(context);
    }

    @Test
    void starttlsIsUsedWheneverOfferedEvenWithASelfSignedCertificate() throws Exception {
        h = new Harness(dir.resolve("store"));
        sink = tlsSink(false);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String id = h.queue("alice@example.test", true, "Subject: secret\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        assertThat(sink.commands()).map(c -> c.substring(2, Math.min(c.length(), 32))).containsSubsequence(
                "EHLO " + Harness.HOSTNAME, "STARTTLS", "EHLO " + Harness.HOSTNAME, "MAIL FROM:<alice@example.test>");
    }

    @Test
    void aRouteRequiringVerifiedTlsDefersWhenTheCertificateIsNotTrustedAndDeliversWhenItIs() throws Exception {
        h = new Harness(dir.resolve("store"));
        sink = tlsSink(false);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()), new RouteOptions(true, null, null));
        String id = h.queue("alice@example.test", true, "Subject: v\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.recipient(id, "bob@remote.test").state() == RecipientState.DEFERRED);
        assertThat(h.recipient(id, "bob@remote.test").lastReply()).startsWith("4.7.5 TLS with 127.0.0.1");
        assertThat(sink.received()).isEmpty();
        h.tls(trustingTheSink()).restart();
        h.store.queue().retryNow(id);
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
    }

    @Test
    void aFailedOpportunisticHandshakeFallsBackToPlainText() throws Exception {
        h = new Harness(dir.resolve("store"));
        SmtpSink.Config config = new SmtpSink.Config();
        config.brokenTls = true;
        sink = SmtpSink.start(config);
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()));
        String id = h.queue("alice@example.test", true, "Subject: p\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> {
            assertThat(r.tls()).isFalse();
            assertThat(r.connection()).isEqualTo(2);
        });
    }

    @Test
    void verifiedTlsIsRequiredEvenWhenTheServerDoesNotOfferIt() throws Exception {
        h = new Harness(dir.resolve("store"));
        sink = SmtpSink.start();
        h.store.routes().put("remote.test", new HostPort("127.0.0.1", sink.port()), new RouteOptions(true, null, null));
        String id = h.queue("alice@example.test", true, "Subject: v\r\n\r\nx\r\n", "bob@remote.test");
        h.start();
        h.waitFor(() -> h.recipient(id, "bob@remote.test").state() == RecipientState.DEFERRED);
        assertThat(h.recipient(id, "bob@remote.test").lastReply()).startsWith("4.7.4 TLS is required");
        assertThat(sink.commands()).noneMatch(c -> c.contains("MAIL"));
    }

    @Test
    void theSmarthostGetsTheStoredCredentialsOverTls() throws Exception {
        h = new Harness(dir.resolve("store"));
        sink = tlsSink(true);
        h.store.routes().setSmarthost(new HostPort("127.0.0.1", sink.port()), new RouteOptions(false, "relay@isp.test", "p4ss w0rd"));
        String id = h.queue("alice@example.test", true, "Subject: a\r\n\r\nx\r\n", "bob@anywhere.test");
        h.start();
        h.waitFor(() -> h.gone(id));
        assertThat(sink.received()).singleElement().satisfies(r -> {
            assertThat(r.authUser()).isEqualTo("relay@isp.test");
            assertThat(r.authPassword()).isEqualTo("p4ss w0rd");
            assertThat(r.tls()).isTrue();
        });
    }

    @Test
    void credentialsAreNeverSentWithoutTlsAndARefusedLoginDefers() throws Exception {
        h = new Harness(dir.resolve("store"));
        SmtpSink.Config plain = new SmtpSink.Config();
        plain.requireAuth = true;
        sink = SmtpSink.start(plain);
        h.store.routes().setSmarthost(new HostPort("127.0.0.1", sink.port()), new RouteOptions(false, "u", "secret"));
        String id = h.queue("alice@example.test", true, "Subject: a\r\n\r\nx\r\n", "bob@anywhere.test");
        h.start();
        h.waitFor(() -> h.recipient(id, "bob@anywhere.test").state() == RecipientState.DEFERRED);
        assertThat(h.recipient(id, "bob@anywhere.test").lastReply()).startsWith("4.7.0 not sending AUTH credentials");
        assertThat(sink.commands()).noneMatch(c -> c.contains("AUTH"));
        sink.close();

        SmtpSink.Config refusing = new SmtpSink.Config();
        refusing.tls = sinkIdentity.context();
        refusing.requireAuth = true;
        refusing.responder = (verb, arg) -> verb.equals("AUTH") ? "535 5.7.8 authentication failed" : null;
        sink = SmtpSink.start(refusing);
        h.store.routes().setSmarthost(new HostPort("127.0.0.1", sink.port()), new RouteOptions(false, "u", "wrong"));
        h.store.queue().retryNow(id);
        h.clock.advance(java.time.Duration.ofMinutes(10));
        h.waitFor(() -> h.recipient(id, "bob@anywhere.test").attempts() == 2);
        assertThat(h.recipient(id, "bob@anywhere.test").state()).isEqualTo(RecipientState.DEFERRED);
        assertThat(h.recipient(id, "bob@anywhere.test").lastReply()).isEqualTo("535 5.7.8 authentication failed");
    }
}
