package org.mailwarden.core.config;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One address a listener binds to, as written in the config file: {@code "127.0.0.1:2525"},
 * {@code "[::1]:2525"}, {@code "0.0.0.0:25"} or {@code "mail.example.test:25"}. The host is kept as
 * text and resolved only when the listener binds, so loading a config never waits for DNS. Port 0
 * (any free port) is allowed here for tests but refused by {@link #parse(String)}, which reads what an
 * administrator wrote.
 */
public record ListenAddress(String host, int port) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
    }

    /**
     * Parses {@code host:port}; an IPv6 host goes in brackets.
     *
     * @throws IllegalArgumentException whose message says what is wrong, fit to follow
     *         "... is not a valid listen address: "
     */
    public static ListenAddress parse(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("missing port after ']'");
            }
            port = rest.substring(1);
            if (!isIpv6(host)) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("missing port");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. \"[::1]:2525\"");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("missing host (use 0.0.0.0 for all IPv4 addresses)");
            }
            if (IPV4.matcher(host).matches()) {
                for (String octet : host.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("'" + host + "' is not an IPv4 address");
                    }
                }
            } else if (!HOST_NAME.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not an IP address or host name");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(port.isEmpty() ? "missing port" : "port must be 1-65535");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
        return new ListenAddress(host, p);
    }

    private static boolean isIpv6(String host) {
        if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        try {
            // only hex digits, colons and dots: parsed as a literal, never looked up
            return java.net.InetAddress.getByName("[" + host + "]") instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The socket address to bind; resolves a host name. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** The text form, as it would be written in the config file. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
