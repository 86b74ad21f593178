package org.mailwarden.core.config;

/**
 * What a listener serves, one per key of the config file's {@code [listen]} table. Each role knows its
 * config key, whether the connection starts with a TLS handshake (implicit TLS) and the unprivileged port
 * it listens on by default, so a fresh install runs without root.
 */
public enum ListenerRole {
    SMTP("smtp", false, 2525),
    SUBMISSION("submission", false, 2587),
    SUBMISSIONS("submissions", true, 2465),
    POP3("pop3", false, 2110),
    POP3S("pop3s", true, 2995),
    IMAP("imap", false, 2143),
    IMAPS("imaps", true, 2993),
    ADMIN("admin", false, 8080);

    private final String key;
    private final boolean implicitTls;
    private final int defaultPort;

    ListenerRole(String key, boolean implicitTls, int defaultPort) {
        this.key = key;
        this.implicitTls = implicitTls;
        this.defaultPort = defaultPort;
    }

    /** The key in the {@code [listen]} table, e.g. {@code "submissions"}. */
    public String key() {
        return key;
    }

    /** Whether a client starts with the TLS handshake (ports 465, 995, 993) rather than plain text. */
    public boolean implicitTls() {
        return implicitTls;
    }

    /** The port used when no config file says otherwise. */
    public int defaultPort() {
        return defaultPort;
    }
}
