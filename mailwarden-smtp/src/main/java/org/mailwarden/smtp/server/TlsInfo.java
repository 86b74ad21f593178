package org.mailwarden.smtp.server;

/** The TLS state of a connection as it appears in trace headers and logs: protocol version and cipher suite. */
public record TlsInfo(String protocol, String cipherSuite) {
}
