package org.mailwarden.core.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

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

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
