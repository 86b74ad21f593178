package org.mailwarden.admin;

import java.net.InetAddress;
import java.util.regex.Pattern;
import org.mailwarden.core.address.DomainName;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.store.Routes.HostPort;

/**
 * Parsers for what administrators type: domain names, account addresses, CIDR ranges and
 * {@code HOST:PORT}. Each returns the normalised value or throws an {@link AdminException} whose message
 * quotes the input and shows a correct example.
 */
public final class Inputs {

    /** An account or alias address: a dot-atom local part and a normalised domain. */
    public record Address(String localPart, String domain) {
        @Override
        public String toString() {
            return localPart + "@" + domain;
        }
    }

    // RFC 5322 dot-atom without '%' and '!', whose old source-routing meanings have no place in an account name.
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9#$&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9#$&'*+/=?^_`{|}~-]+)*");
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_ECHO = 80;

    private Inputs() {
    }

    /** A domain name in lower-case ASCII (IDNs as A-labels), without a trailing dot. */
    public static String domain(String text) {
        try {
            return DomainName.normalize(text == null ? "" : text.strip());
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /** {@code local-part@domain} with a plain (dot-atom) local part. */
    public static Address address(String text) {
        String s = text == null ? "" : text.strip();
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            throw new AdminException(quote(text) + " is not an address; expected local-part@domain such as alice@example.test");
        }
        String local = s.substring(0, at);
        if (local.length() > MAX_LOCAL_PART || !DOT_ATOM.matcher(local).matches()) {
            throw new AdminException(quote(text) + " is not a plain address; the part before @ may hold letters, digits,"
                    + " dots and #$&'*+/=?^_`{|}~- (at most 64), such as alice.smith@example.test");
        }
        return new Address(local, domain(s.substring(at + 1)));
    }

    /** An IPv4 or IPv6 address or CIDR subnet. */
    public static IpRange ipRange(String text) {
        try {
            return IpRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new AdminException(printable(e.getMessage()));
        }
    }

    /** {@code host:port} or {@code [IPv6]:port}; the host is a domain name or an IP address. */
    public static HostPort hostPort(String text) {
        String s = text == null ? "" : text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw badHostPort(text);
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            InetAddress ip = IpAddresses.parseIpv6(host);
            if (ip == null) {
                throw new AdminException(quote(text) + ": " + quote(host) + " is not an IPv6 address");
            }
            host = IpAddresses.toText(ip);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw badHostPort(text);
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new AdminException(quote(text) + ": write an IPv6 address in brackets, such as [2001:db8::1]:25");
            }
            if (host.isEmpty()) {
                throw badHostPort(text);
            }
            InetAddress ip = IpAddresses.parseIpv4(host);
            host = ip != null ? IpAddresses.toText(ip) : hostName(text, host);
        }
        return new HostPort(host, port(text, port));
    }

    private static String hostName(String text, String host) {
        try {
            return domain(host);
        } catch (AdminException e) {
            throw new AdminException(quote(text) + ": " + quote(host) + " is not a host name or IP address");
        }
    }

    private static int port(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new AdminException(quote(text) + ": the port must be a number from 1 to 65535");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new AdminException(quote(text) + ": the port must be a number from 1 to 65535");
        }
        return p;
    }

    /** Input echoed in a message: in quotes, control characters escaped, long input cut short. */
    public static String quote(String input) {
        String s = input == null ? "" : input;
        return "'" + printable(s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "..." : s) + "'";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static AdminException badHostPort(String text) {
        return new AdminException(quote(text) + " is not HOST:PORT, such as smtp.example.net:25 or [2001:db8::1]:25");
    }
}
