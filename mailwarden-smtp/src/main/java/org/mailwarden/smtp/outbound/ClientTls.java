package org.mailwarden.smtp.outbound;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS contexts of the SMTP client. Opportunistic STARTTLS (RFC 3207 as practised between MTAs) takes
 * any certificate: encryption against passive listeners is better than plain text, and refusing
 * self-signed certificates would only push delivery back to plain text. Routes that require verified TLS
 * use {@code verifying}, the JDK's trusted CAs unless a test or site passes its own.
 */
public record ClientTls(SSLContext verifying, SSLContext opportunistic) {

    /** The JDK's default trust for verified TLS. */
    public static ClientTls system() {
        try {
            return withTrust(SSLContext.getDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** Verified TLS against the trust of {@code verifying}. */
    public static ClientTls withTrust(SSLContext verifying) {
        try {
            SSLContext any = SSLContext.getInstance("TLS");
            any.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            return new ClientTls(verifying, any);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the SMTP client", e);
        }
    }

    SSLContext context(boolean verify) {
        return verify ? verifying : opportunistic;
    }

    /** Accepts every server certificate: opportunistic encryption, no authentication. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Opportunistic TLS: any certificate encrypts.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
