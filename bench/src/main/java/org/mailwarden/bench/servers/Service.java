package org.mailwarden.bench.servers;

/** The protocols a benchmark scenario drives. */
public enum Service {
    SMTP, IMAP, POP3
}
