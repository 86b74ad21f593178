package org.mailwarden.bench.scenario;

import java.util.List;

/**
 * How big a run is. The full run is what bench/run does by default; {@code --quick} scales every count
 * down so the whole comparison takes a few minutes and is meant for checking the harness, not for
 * quoting.
 */
public record Options(boolean quick, int repetitions, List<Integer> smtpSessions, List<Integer> smtpSizes,
                      int imapMailbox, int imapSessions, int imapCycles, List<Integer> idleSessions,
                      int idleLatencySamples, int pop3Messages, int pop3LargeSize) {

    public static Options full(int repetitions, List<Integer> idleSessions) {
        return new Options(false, repetitions, List.of(1, 20, 100), List.of(1024, 10 * 1024, 100 * 1024),
                10_000, 8, 4, idleSessions, 20, 1000, 40 << 20);
    }

    public static Options quick(int repetitions, List<Integer> idleSessions) {
        return new Options(true, repetitions, List.of(1, 20), List.of(1024, 100 * 1024),
                1000, 4, 2, idleSessions, 5, 200, 4 << 20);
    }

    /** The same with other SMTP session counts and message sizes (octets); null keeps the default. */
    public Options withSmtp(List<Integer> sessions, List<Integer> sizes) {
        return new Options(quick, repetitions, sessions == null ? smtpSessions : List.copyOf(sessions),
                sizes == null ? smtpSizes : List.copyOf(sizes), imapMailbox, imapSessions, imapCycles, idleSessions,
                idleLatencySamples, pop3Messages, pop3LargeSize);
    }

    /** The same with another maildrop size for the POP3 RETR case. */
    public Options withPop3Messages(int messages) {
        return new Options(quick, repetitions, smtpSessions, smtpSizes, imapMailbox, imapSessions, imapCycles, idleSessions,
                idleLatencySamples, messages, pop3LargeSize);
    }

    /** Messages per SMTP case: enough for a steady rate, fewer for large messages and single sessions. */
    public int smtpMessages(int sessions, int size) {
        int base = sessions == 1 ? 200 : sessions <= 20 ? 1000 : 2000;
        if (size >= 100 * 1024) {
            base /= 4;
        }
        return quick ? Math.max(sessions * 2, base / 5) : base;
    }

    /** Messages per STARTTLS case: a quarter, since every message pays a full TLS handshake on its own connection. */
    public int tlsMessages(int sessions, int size) {
        return Math.max(sessions * 2, smtpMessages(sessions, size) / 4);
    }
}
