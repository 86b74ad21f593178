package org.mailwarden.core.net;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The protocol versions and cipher suites every server-side TLS connection uses: TLS 1.3 and 1.2 only,
 * and for 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305). CBC with SHA-1,
 * static RSA key exchange, 3DES, RC4 and export suites are never offered. The server's preference order
 * wins.
 */
public final class TlsPolicy {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Pattern STRONG_SUITE = Pattern.compile(
            "TLS_AES_(128|256)_GCM_SHA(256|384)|TLS_CHACHA20_POLY1305_SHA256"
                    + "|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)");

    private TlsPolicy() {
    }

    /** The strong suites among {@code supported}, in the order given (the JDK's order is sensible). */
    public static String[] cipherSuites(String[] supported) {
        return Arrays.stream(supported).filter(s -> STRONG_SUITE.matcher(s).matches()).toArray(String[]::new);
    }

    /** Whether {@code suite} is one this policy allows. */
    public static boolean isStrong(String suite) {
        return STRONG_SUITE.matcher(suite).matches();
    }

    /** Applies the policy to a server-side socket before its handshake. */
    public static void apply(SSLSocket socket) {
        socket.setUseClientMode(false);
        socket.setSSLParameters(parameters(socket.getSSLParameters(), socket.getSupportedCipherSuites()));
    }

    /** Applies the policy to a server-side engine before its handshake. */
    public static void apply(SSLEngine engine) {
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), engine.getSupportedCipherSuites()));
    }

    private static SSLParameters parameters(SSLParameters parameters, String[] supported) {
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(cipherSuites(supported));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        return parameters;
    }
}
