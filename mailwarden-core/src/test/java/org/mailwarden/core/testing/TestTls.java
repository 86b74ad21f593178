package org.mailwarden.core.testing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mailwarden.core.net.TlsSupport;

/** TLS helpers for tests: a server identity in a temp dir and a client that trusts any certificate. */
public final class TestTls {

    private TestTls() {
    }

    /** A self-signed identity for mx.example.test, made in {@code dir} on first use. */
    public static TlsSupport serverIdentity(Path dir) throws Exception {
        return TlsSupport.open(dir.resolve("cert.pem"), dir.resolve("key.pem"), "mx.example.test");
    }

    /** A client context that accepts the self-signed test certificate (and anything else). */
    public static SSLContext trustAllClient() {
        try {
            return trustAll();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    private static SSLContext trustAll() throws GeneralSecurityException {
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
        return context;
    }
}
