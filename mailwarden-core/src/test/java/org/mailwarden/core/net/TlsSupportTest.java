package org.mailwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.testing.TestTls;

class TlsSupportTest {

    @TempDir
    Path dir;

    private Path cert() {
        return dir.resolve("tls/cert.pem");
    }

    private Path key() {
        return dir.resolve("tls/key.pem");
    }

    @Test
    void generatesASelfSignedPairWhenBothFilesAreAbsent() throws Exception {
        TlsSupport tls = TlsSupport.open(cert(), key(), "mx.example.test");
        assertThat(cert()).exists();
        assertThat(Files.readString(key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        X509Certificate c = tls.certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=mx.example.test");
        assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "mx.example.test"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        Duration validity = Duration.between(Instant.now(), c.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(729), Duration.ofDays(731));
        assertThat(c.getNotBefore().toInstant()).isBefore(Instant.now());
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        // the next start loads the same pair instead of generating another
        assertThat(TlsSupport.open(cert(), key(), "mx.example.test").certificate()).isEqualTo(c);
    }

    @Test
    void oneFileWithoutTheOtherIsAnError() throws Exception {
        TlsSupport.open(cert(), key(), "mx.example.test");
        Files.delete(key());
        assertThatThrownBy(() -> TlsSupport.open(cert(), key(), "mx.example.test"))
                .isInstanceOf(TlsException.class)
                .hasMessage(key() + ": missing, but " + cert() + " exists (restore the missing file, or delete both"
                        + " to have a new self-signed pair generated)");
        assertThat(cert()).exists();
    }

    /** Runs openssl in the tls directory; tests using it are skipped where openssl is not installed. */
    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(cert().getParent().toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "'genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem', -----BEGIN PRIVATE KEY-----, RSA",
            "'genrsa -traditional -out key.pem 2048', -----BEGIN RSA PRIVATE KEY-----, RSA",
            "'ecparam -name prime256v1 -genkey -out key.pem', -----BEGIN EC PARAMETERS-----, EC",
            "'genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem', -----BEGIN PRIVATE KEY-----, EC"})
    void loadsKeysMadeByOpenssl(String keyCommand, String pemStart, String algorithm) throws Exception {
        Files.createDirectories(cert().getParent());
        openssl(keyCommand.split(" "));
        openssl("req", "-x509", "-new", "-key", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=mx.example.test");
        assertThat(Files.readString(key())).startsWith(pemStart);
        TlsSupport tls = TlsSupport.load(cert(), key());
        assertThat(tls.certificate().getPublicKey().getAlgorithm()).isEqualTo(algorithm);
    }

    @Test
    void loadsACombinedFileWithComments() throws Exception {
        TlsSupport.open(cert(), key(), "mx.example.test");
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, "subject=CN = mx.example.test\n" + Files.readString(cert())
                + "issuer=CN = mx.example.test\n" + Files.readString(key()));
        assertThat(TlsSupport.load(combined, combined).certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=mx.example.test");
    }

    @Test
    void servesTheWholeChainOfACaSignedCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair leafKeys = generator.generateKeyPair();
        var caName = new org.bouncycastle.asn1.x500.X500Name("CN=Test CA");
        var notBefore = java.util.Date.from(Instant.now().minusSeconds(60));
        var notAfter = java.util.Date.from(Instant.now().plusSeconds(86400));
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA");
        var converter = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
        var caBuilder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(caName, java.math.BigInteger.ONE,
                notBefore, notAfter, caName, caKeys.getPublic());
        caBuilder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(true));
        X509Certificate ca = converter.getCertificate(caBuilder.build(signer.build(caKeys.getPrivate())));
        X509Certificate leaf = converter.getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                caName, java.math.BigInteger.TWO, notBefore, notAfter,
                new org.bouncycastle.asn1.x500.X500Name("CN=mx.example.test"), leafKeys.getPublic())
                .build(signer.build(caKeys.getPrivate())));
        PemFiles.write(List.of(leaf, ca), leafKeys.getPrivate(), cert(), key());

        TlsSupport tls = TlsSupport.load(cert(), key());
        try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) tls.context()
                .getServerSocketFactory().createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var accepted = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) server.accept()) {
                    TlsPolicy.apply(s);
                    s.startHandshake();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) TestTls.trustAllClient().getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                s.startHandshake();
                assertThat(s.getSession().getPeerCertificates()).containsExactly(leaf, ca);
            }
            accepted.get();
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        TlsSupport.open(cert(), key(), "mx.example.test");
        Path otherCert = dir.resolve("other/cert.pem");
        Path otherKey = dir.resolve("other/key.pem");
        TlsSupport.open(otherCert, otherKey, "other.example.test");
        assertThatThrownBy(() -> TlsSupport.load(cert(), otherKey)).isInstanceOf(TlsException.class)
                .hasMessage(otherKey + ": this private key does not belong to the certificate in " + cert()
                        + " (install the key that was generated with the certificate request)");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAHint() throws Exception {
        TlsSupport.open(cert(), key(), "mx.example.test");
        var key = PemFiles.readKey(key());
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setPassword("secret".toCharArray()).build();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        Files.writeString(key(), pem.toString());
        assertThatThrownBy(() -> TlsSupport.load(cert(), key())).isInstanceOf(TlsException.class)
                .hasMessage(key() + ": the private key is encrypted with a pass phrase (decrypt it once with"
                        + " 'openssl pkey -in key.pem -out key.pem' and keep the file readable only by mailwarden)");
    }

    @Test
    void garbageAndMissingFilesAreExplained() throws Exception {
        Files.createDirectories(cert().getParent());
        Files.writeString(cert(), "this is not a certificate\n");
        Files.writeString(key(), "nor a key\n");
        assertThatThrownBy(() -> TlsSupport.load(cert(), key())).isInstanceOf(TlsException.class)
                .hasMessage(cert() + ": no PEM certificate (BEGIN CERTIFICATE) found (give the file with the server"
                        + " certificate, followed by its intermediate certificates)");
        assertThatThrownBy(() -> TlsSupport.load(dir.resolve("none.pem"), key())).isInstanceOf(TlsException.class)
                .hasMessage(dir.resolve("none.pem") + ": the certificate file does not exist (check the path in the"
                        + " [tls] section of the config file)");
    }

    @Test
    void reloadPicksUpARenewedCertificate() throws Exception {
        TlsSupport tls = TlsSupport.open(cert(), key(), "mx.example.test");
        X509Certificate first = tls.certificate();
        javax.net.ssl.SSLContext firstContext = tls.context();
        assertThat(tls.reloadIfChanged()).isFalse();

        // certbot renews: new files in place
        Path staging = dir.resolve("staging");
        TlsSupport.open(staging.resolve("cert.pem"), staging.resolve("key.pem"), "mx.example.test");
        Files.copy(staging.resolve("cert.pem"), cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(staging.resolve("key.pem"), key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cert(), FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.certificate()).isNotEqualTo(first);
        assertThat(tls.context()).isNotSameAs(firstContext);
    }

    @Test
    void aFailedReloadKeepsTheWorkingIdentity() throws Exception {
        TlsSupport tls = TlsSupport.open(cert(), key(), "mx.example.test");
        X509Certificate working = tls.certificate();
        Files.writeString(key(), "half-written\n");
        assertThatThrownBy(tls::reload).isInstanceOf(TlsException.class);
        assertThat(tls.certificate()).isEqualTo(working);
        assertThat(tls.context()).isNotNull();
    }

    @Test
    void keyFileIsPrivateFromTheStart() throws Exception {
        TlsSupport.open(cert(), key(), "mx.example.test");
        assertThat(Files.getPosixFilePermissions(key())).isEqualTo(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (var files = Files.list(cert().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cert.pem", "key.pem");
        }
    }

    @Test
    void policyKeepsOnlyStrongSuites() {
        String[] kept = TlsPolicy.cipherSuites(new String[] {
                "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"});
        assertThat(kept).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    }
}
