package org.mailwarden.core.net;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short identifiers for connections, for log lines and Received headers: ten characters of Crockford
 * base32 made of 18 random bits chosen when the process starts and a 32-bit counter, so ids are unique
 * within a process and unlikely to repeat across restarts or cluster nodes.
 */
public final class ConnectionId {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long PROCESS_BITS = new SecureRandom().nextInt(1 << 18);
    private static final AtomicLong COUNTER = new AtomicLong();

    private ConnectionId() {
    }

    /** The next id, e.g. {@code "7QX2K00041"}. */
    public static String next() {
        long value = (PROCESS_BITS << 32) | (COUNTER.getAndIncrement() & 0xFFFF_FFFFL);
        char[] out = new char[10];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
        return new String(out);
    }
}
