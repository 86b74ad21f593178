package org.mailwarden.reliability.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.reliability.harness.Figures;
import org.mailwarden.reliability.harness.ServerProcess;
import org.mailwarden.reliability.harness.SmtpClient;
import org.mailwarden.reliability.harness.TestServerConfig;

/**
 * TLS as a scanner sees it: Debian's {@code sslscan} probes the implicit-TLS submissions port and the
 * STARTTLS of the MTA and submission ports of a running server. Only TLS 1.2 and 1.3 may be enabled, and
 * no weak suite accepted: no RC4, DES or 3DES, NULL, export, anonymous or MD5 suites, no CBC with SHA-1
 * (nor any other non-AEAD suite) and no suite without forward secrecy; no insecure renegotiation.
 * Then the certificate is renewed the way certbot does it (new files in place) and new connections get
 * it without a restart: the server looks at the files every minute, so the scans run while it waits.
 */
@Execution(ExecutionMode.CONCURRENT) // mostly waiting for the server's certificate check: run beside the others
class TlsScanTest {

    /** Suites that must never be accepted, by OpenSSL name. */
    private static final Pattern WEAK = Pattern.compile("RC4|DES|NULL|EXP|ADH|AECDH|anon|MD5|PSK|SRP|IDEA|SEED|CAMELLIA");
    /** TLS 1.2 suites the policy allows: forward-secret key exchange with an AEAD cipher. */
    private static final Pattern FORWARD_SECRET_AEAD = Pattern.compile("ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void kill() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void onlyStrongTlsAndARenewedCertificateWithoutRestart() throws Exception {
        Assumptions.assumeTrue(SslScan.installed(), "sslscan is not installed (apt-get install -y sslscan)");
        TestServerConfig config = TestServerConfig.write(dir,
                EnumSet.of(ListenerRole.SMTP, ListenerRole.SUBMISSION, ListenerRole.SUBMISSIONS), null, 100, 20);
        server = ServerProcess.start(config, dir.resolve("serve.log"));
        BigInteger original = implicitTlsCertificate(config.address(ListenerRole.SUBMISSIONS)).getSerialNumber();
        renew(config, "renewed.example.test");

        Map<String, InetSocketAddress> targets = Map.of("submissions (implicit TLS)", config.address(ListenerRole.SUBMISSIONS),
                "smtp STARTTLS", config.address(ListenerRole.SMTP), "submission STARTTLS",
                config.address(ListenerRole.SUBMISSION));
        int suites = 0;
        for (Map.Entry<String, InetSocketAddress> target : targets.entrySet()) {
            boolean startTls = target.getKey().contains("STARTTLS");
            SslScan.Report report = SslScan.scan(target.getValue(), startTls);
            assertThat(report.protocols()).as("%s: enabled protocols", target.getKey())
                    .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
            assertThat(report.ciphers()).as("%s: accepted suites", target.getKey()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.name()).as(c.toString()).doesNotContainPattern(WEAK);
                assertThat(c.bits()).as(c.toString()).isGreaterThanOrEqualTo(128);
                if (c.protocol().equals("TLSv1.2")) {
                    assertThat(c.name()).as(c.toString()).matches(FORWARD_SECRET_AEAD);
                } else {
                    assertThat(c.protocol()).as(c.toString()).isEqualTo("TLSv1.3");
                }
            });
            assertThat(report.insecureRenegotiation()).as("%s: insecure renegotiation", target.getKey()).isFalse();
            suites += report.ciphers().size();
            Figures.record("tls " + target.getKey(), "protocols=" + report.protocols() + " suites="
                    + report.ciphers().stream().map(c -> c.protocol() + ":" + c.name()).toList());
        }

        // the server re-reads the files once a minute: new connections get the renewed certificate
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() ->
                !implicitTlsCertificate(config.address(ListenerRole.SUBMISSIONS)).getSerialNumber().equals(original));
        assertThat(subject(implicitTlsCertificate(config.address(ListenerRole.SUBMISSIONS))))
                .contains("renewed.example.test");
        assertThat(subject(startTlsCertificate(config.address(ListenerRole.SMTP)))).contains("renewed.example.test");
        assertThat(server.logText()).contains("TLS certificate reloaded");
        assertThat(server.isAlive()).isTrue();
        Figures.record("tls reload", "ports scanned=" + targets.size() + " suites accepted=" + suites
                + " renewed certificate served without restart");
    }

    /** Writes a new self-signed pair for {@code hostname} over the server's files, as certbot would. */
    private void renew(TestServerConfig config, String hostname) throws IOException {
        Path staging = Files.createDirectories(dir.resolve("renewal"));
        TlsSupport.open(staging.resolve("cert.pem"), staging.resolve("key.pem"), hostname);
        Files.move(staging.resolve("key.pem"), config.keyFile(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging.resolve("cert.pem"), config.certFile(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate implicitTlsCertificate(InetSocketAddress address) throws IOException {
        try (SmtpClient c = SmtpClient.open(address, true)) {
            return (X509Certificate) ((SSLSocket) c.socket()).getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate startTlsCertificate(InetSocketAddress address) throws IOException {
        try (SmtpClient c = SmtpClient.open(address, false)) {
            c.ehlo("scanner.test");
            c.startTls();
            return (X509Certificate) ((SSLSocket) c.socket()).getSession().getPeerCertificates()[0];
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

}
