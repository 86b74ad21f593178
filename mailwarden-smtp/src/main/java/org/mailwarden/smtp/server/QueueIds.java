package org.mailwarden.smtp.server;

import java.security.SecureRandom;

/**
 * Queue ids: 16 characters of Crockford base32 (no I, L, O, U), the first eight from the clock in
 * milliseconds so ids sort roughly by arrival and the rest random, so ids stay unique across the nodes
 * of a cluster without coordination and don't reveal how much mail a server handles.
 */
final class QueueIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueIds() {
    }

    static String next() {
        char[] id = new char[16];
        long time = System.currentTimeMillis();
        for (int i = 7; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long random = RANDOM.nextLong();
        for (int i = 8; i < 16; i++) {
            id[i] = ALPHABET[(int) (random & 31)];
            random >>>= 5;
        }
        return new String(id);
    }
}
