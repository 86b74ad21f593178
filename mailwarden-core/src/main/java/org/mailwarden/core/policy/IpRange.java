package org.mailwarden.core.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.mailwarden.core.address.IpAddresses;

/**
 * An IPv4 or IPv6 address or CIDR subnet, as administrators write them in relay rules
 * ({@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::/32}). Parsing accepts only numeric
 * addresses (never a host name, so a rule can't trigger a DNS lookup) and normalises the network part,
 * so {@code 192.0.2.9/24} and {@code 192.0.2.0/24} are the same rule. IPv4-mapped IPv6 client
 * addresses match IPv4 ranges.
 */
public record IpRange(byte[] network, int prefix) {

    public IpRange {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range");
        }
        mask(network, prefix);
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException with a message fit for an administrator
     */
    public static IpRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address; expected an IP address or CIDR subnet such as 192.0.2.0/24");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress ip = IpAddresses.parse(addr);
        if (ip == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR subnet (examples: 192.0.2.7, 192.0.2.0/24, 2001:db8::/32)");
        }
        byte[] bytes = ip.getAddress();
        // An IPv4-mapped address written in IPv6 form ("::ffff:192.0.2.0/120") comes back as 4 bytes.
        boolean mapped = bytes.length == 4 && addr.indexOf(':') >= 0;
        int max = mapped ? 128 : bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be a number from 0 to " + max);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max || (mapped && prefix < 96)) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be from " + (mapped ? 96 : 0) + " to " + max
                        + " for an " + (max == 32 ? "IPv4" : mapped ? "IPv4-mapped IPv6" : "IPv6") + " address");
            }
        }
        if (mapped) {
            prefix -= 96;
        }
        return new IpRange(bytes, prefix);
    }

    /** Whether {@code address} lies inside this range. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        mask(a, prefix);
        return Arrays.equals(a, network);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** Canonical text: the address alone for a single host, else {@code network/prefix}. */
    @Override
    public String toString() {
        String a = IpAddresses.toText(address(network));
        return prefix == network.length * 8 ? a : a + "/" + prefix;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - bits));
        }
    }
}
