package org.mailwarden.core.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Strict parsing of numeric IP addresses that never consults DNS: dotted-quad IPv4 without leading zeros
 * (so {@code 010.0.0.1} can't be read as octal by one program and decimal by another) and the textual
 * IPv6 forms of RFC 4291. Used for address literals and for relay rules.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** An IPv4 or IPv6 address ({@code ':'} decides which), or null when {@code text} is not one. */
    public static InetAddress parse(String text) {
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    }

    /** A dotted-quad IPv4 address, or null. */
    public static InetAddress parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (text.length() > 15 || parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return byAddress(out);
    }

    /**
     * An IPv6 address in any RFC 4291 text form, or null. IPv4-mapped addresses come back as the
     * IPv4 address they map (the JDK's behaviour), so they compare equal to it.
     */
    public static InetAddress parseIpv6(String text) {
        if (text.length() < 2 || text.length() > 45 || text.indexOf(':') < 0
                || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80 || c == ':' || c == '.')) {
            return null;
        }
        try {
            // Only hex digits, ':' and '.' reach here, and the brackets make the JDK parse a literal or fail;
            // it never resolves a name.
            return InetAddress.getByName("[" + text + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The IPv4 address behind an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}), else {@code address}
     * itself, so that a dual-stack listener's clients are judged and logged by the address they really have.
     */
    public static InetAddress unmap(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != 16 || a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return address;
            }
        }
        return byAddress(Arrays.copyOfRange(a, 12, 16));
    }

    /**
     * The address as people write it: dotted quad for IPv4, RFC 5952 canonical text for IPv6 (lower case,
     * no leading zeros, the longest run of two or more zero groups shortened to {@code ::}), without the
     * scope and without the host name the JDK may attach.
     */
    public static String toText(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
