package org.mailwarden.pop3;

/**
 * What one session did, for the single log line written when it ends: who logged in and how, how many
 * messages and octets were retrieved (RETR), how many TOP requests were answered (fetchmail reads whole
 * messages with TOP), how many messages were marked for deletion and how many QUIT removed.
 */
final class SessionStats {

    private String user;
    private String mechanism;
    private int retrieved;
    private long retrievedOctets;
    private int tops;
    private int marked;
    private int deleted;

    void loggedIn(String address, String how) {
        this.user = address;
        this.mechanism = how;
    }

    void retrieved(long octets) {
        retrieved++;
        retrievedOctets += octets;
    }

    void top() {
        tops++;
    }

    void marked(int count) {
        marked = count;
    }

    void deleted(int count) {
        deleted = count;
    }

    /** The log line's fields, e.g. {@code user=alice@example.test auth=PLAIN retrieved=2 octets=4096 top=0 marked=1 deleted=1}. */
    String summary() {
        return "user=" + (user == null ? "-" : user) + " auth=" + (mechanism == null ? "-" : mechanism)
                + " retrieved=" + retrieved + " octets=" + retrievedOctets + " top=" + tops + " marked=" + marked + " deleted=" + deleted;
    }
}
