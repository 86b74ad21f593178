package org.mailwarden.pop3;

/**
 * The extended response codes of RFC 2449 and RFC 3206 that mailwarden sends in brackets after
 * {@code -ERR}, so that a client can tell a user what to do: wait for another session to end
 * ({@link #IN_USE}), fix the credentials or the connection's security ({@link #AUTH}), or retry later
 * because the server has a problem ({@link #SYS_TEMP}, {@link #SYS_PERM}).
 */
enum ResponseCode {
    /** RFC 2449: the maildrop is locked by another session. */
    IN_USE("IN-USE"),
    /** RFC 3206: the failure is about the credentials or how they were sent, not the server. */
    AUTH("AUTH"),
    /** RFC 3206: a temporary server problem; the same command may work later. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206: a server problem that will not go away by retrying. */
    SYS_PERM("SYS/PERM");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    /** The code as sent, e.g. {@code IN-USE}. */
    String text() {
        return text;
    }
}
