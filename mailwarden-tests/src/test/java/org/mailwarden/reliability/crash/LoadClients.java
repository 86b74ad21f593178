package org.mailwarden.reliability.crash;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

/**
 * What the crash loads' clients share: each client's own loopback source address (one block of
 * 127.0.x.0 per load, so the server's per-address limits see separate clients and the logs tell them
 * apart), and the short random pause a client takes after the server went away.
 */
final class LoadClients {

    private LoadClients() {
    }

    /** Client {@code client}'s address in the block 127.0.{@code block}.0. */
    static InetAddress address(int block, int client) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) block, (byte) (1 + client)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 20 to 70 ms: long enough not to spin against a dead server, short enough to catch the restart. */
    static void pause(Random random) {
        try {
            Thread.sleep(20 + random.nextInt(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
