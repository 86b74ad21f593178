package org.mailwarden.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity: a certificate chain and private key read from PEM files into an
 * {@link SSLContext}. {@link #open} generates a self-signed pair when neither file exists, so a fresh
 * install speaks TLS at once. {@link #reload()} re-reads the files, so a renewed certificate (certbot, ACME)
 * takes effect for new connections without a restart; a failed reload keeps the previous identity.
 * Sockets and engines built from {@link #context()} must get {@link TlsPolicy} applied (the
 * {@link Listener} and {@link Connection#startTls} do this).
 */
public final class TlsSupport {

    private static final Logger log = LoggerFactory.getLogger(TlsSupport.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final Path certFile;
    private final Path keyFile;
    private volatile Identity identity;

    private record Identity(SSLContext context, List<X509Certificate> chain, FileTime certModified,
                            FileTime keyModified) {
    }

    private TlsSupport(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /**
     * Loads the pair, first generating a self-signed one for {@code hostname} when neither file exists.
     * One file without the other is an error: the missing half is probably a mistake, and overwriting the
     * other would destroy it.
     */
    public static TlsSupport open(Path certFile, Path keyFile, String hostname) throws TlsException {
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (!haveCert && !haveKey) {
            SelfSignedCertificate generated = SelfSignedCertificate.generate(hostname);
            try {
                PemFiles.write(List.of(generated.certificate()), generated.key(), certFile, keyFile);
            } catch (IOException e) {
                throw new TlsException("cannot write the generated certificate to " + certFile + " and key to "
                        + keyFile + ": " + e + " (make the directory writable, or install a certificate there)", e);
            }
            log.info("generated a self-signed certificate for {} in {} (key in {}); replace both files with a"
                    + " certificate from a CA and the server picks it up on reload", hostname, certFile, keyFile);
        } else if (haveCert != haveKey) {
            Path missing = haveCert ? keyFile : certFile;
            Path present = haveCert ? certFile : keyFile;
            throw new TlsException(missing + ": missing, but " + present + " exists (restore the missing file,"
                    + " or delete both to have a new self-signed pair generated)");
        }
        return load(certFile, keyFile);
    }

    /** Loads an existing certificate chain and key. */
    public static TlsSupport load(Path certFile, Path keyFile) throws TlsException {
        TlsSupport tls = new TlsSupport(certFile, keyFile);
        tls.identity = tls.read();
        return tls;
    }

    /** The current context; a new connection takes it at its handshake. */
    public SSLContext context() {
        return identity.context();
    }

    /** The current server (leaf) certificate. */
    public X509Certificate certificate() {
        return identity.chain().getFirst();
    }

    /** Re-reads both files; on failure the previous identity stays in use and the exception says why. */
    public void reload() throws TlsException {
        identity = read();
        log.info("reloaded the TLS certificate from {}", certFile);
    }

    /**
     * Reloads when either file's modification time changed since the last load; for a periodic check.
     *
     * @return whether a new identity was loaded
     */
    public boolean reloadIfChanged() throws TlsException {
        Identity current = identity;
        if (current.certModified().equals(modified(certFile)) && current.keyModified().equals(modified(keyFile))) {
            return false;
        }
        reload();
        return true;
    }

    private Identity read() throws TlsException {
        FileTime certModified = modified(certFile);
        FileTime keyModified = modified(keyFile);
        List<X509Certificate> chain = PemFiles.readChain(certFile);
        PrivateKey key = PemFiles.readKey(keyFile);
        X509Certificate leaf = chain.getFirst();
        if (!PemFiles.matches(key, leaf)) {
            throw new TlsException(keyFile + ": this private key does not belong to the certificate in " + certFile
                    + " (install the key that was generated with the certificate request)");
        }
        warnAboutExpiry(leaf);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new Identity(context, List.copyOf(chain), certModified, keyModified);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException(certFile + ": cannot use this certificate and key for TLS: " + e.getMessage()
                    + " (install an RSA or EC certificate and key in PEM form)", e);
        }
    }

    private void warnAboutExpiry(X509Certificate leaf) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant now = Instant.now();
        if (notAfter.isBefore(now)) {
            log.warn("the TLS certificate in {} expired on {}; clients will refuse it (renew it)", certFile, notAfter);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            log.warn("the TLS certificate in {} expires on {} (renew it soon)", certFile, notAfter);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
