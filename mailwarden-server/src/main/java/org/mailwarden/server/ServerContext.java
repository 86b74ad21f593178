package org.mailwarden.server;

import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.config.ServerConfig;
import org.mailwarden.core.metrics.Metrics;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.Store;

/**
 * What a protocol service gets from the running server: how the process was configured, the store, the
 * runtime snapshot of relay rules, local domains and settings that follows administrative changes, the
 * TLS identity for STARTTLS, the metrics registry to count in (served at the admin listener's
 * {@code /metrics}), and the one authentication throttle all protocols share, so a password guesser gets
 * no more tries by switching between SMTP, POP3 and IMAP.
 */
public record ServerContext(ServerConfig config, Store store, RuntimeConfig runtime, TlsSupport tls, Metrics metrics,
                            AuthThrottle authThrottle) {
}
