package org.mailwarden.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts open connections against {@link ConnectionLimits}, in total and per client. An IPv6 client is
 * counted by its /64 network, because one host commonly owns a whole /64 and could otherwise open
 * unlimited connections from fresh addresses; IPv4-mapped IPv6 addresses count as the IPv4 address. One
 * limiter can be shared by several listeners so that the limits hold for the whole server.
 */
public final class ConnectionLimiter {

    /** The outcome of {@link #tryAcquire}. */
    public enum Admission { ADMITTED, SERVER_FULL, CLIENT_FULL }

    private ConnectionLimits limits;
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private int total;

    public ConnectionLimiter(ConnectionLimits limits) {
        this.limits = limits;
    }

    public synchronized ConnectionLimits limits() {
        return limits;
    }

    /**
     * Replaces the limits while connections are open (an administrator changed them at run time). Open
     * connections are never cut; lower limits apply to the next connections.
     */
    public synchronized void setLimits(ConnectionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Counts a new connection from {@code client} unless a limit is reached; admitted ones must be released. */
    public synchronized Admission tryAcquire(InetAddress client) {
        if (total >= limits.maxTotal()) {
            return Admission.SERVER_FULL;
        }
        InetAddress key = key(client);
        int current = perClient.getOrDefault(key, 0);
        if (current >= limits.maxPerIp()) {
            return Admission.CLIENT_FULL;
        }
        perClient.put(key, current + 1);
        total++;
        return Admission.ADMITTED;
    }

    /** Uncounts an admitted connection from {@code client}. */
    public synchronized void release(InetAddress client) {
        InetAddress key = key(client);
        Integer current = perClient.get(key);
        if (current == null) {
            throw new IllegalStateException("release without acquire for " + client);
        }
        if (current == 1) {
            perClient.remove(key);
        } else {
            perClient.put(key, current - 1);
        }
        total--;
    }

    public synchronized int total() {
        return total;
    }

    public synchronized int count(InetAddress client) {
        return perClient.getOrDefault(key(client), 0);
    }

    private static InetAddress key(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address;
        }
        byte[] bytes = address.getAddress();
        try {
            if (isIpv4Mapped(bytes)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
            if (address instanceof Inet6Address) {
                Arrays.fill(bytes, 8, 16, (byte) 0);
                return InetAddress.getByAddress(bytes);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        }
        return address;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
