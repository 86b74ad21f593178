package org.mailwarden.smtp.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.core.config.SettingsReader;

/**
 * The delivery limits and intervals an administrator changes while the server runs, read from the store's
 * settings with safe defaults. A value that does not parse or lies outside its range is ignored with a
 * warning naming the key, so a typo never stops delivery.
 *
 * @param maxConnections        {@code outbound.max_connections}: SMTP connections open at once, in total
 * @param maxConnectionsPerHost {@code outbound.max_connections_per_host}: at once to one destination
 * @param schedule              {@code outbound.retry_initial_s}, {@code outbound.retry_max_s},
 *                              {@code outbound.max_queue_lifetime_h}, {@code outbound.delay_notice_h} (0: no
 *                              delay notices)
 * @param dnsServers            {@code dns.servers}: comma-separated {@code IP} or {@code IP:PORT}; empty for
 *                              the system's resolvers
 * @param mxPort                {@code outbound.mx_port}: the port of hosts found by MX lookup (25)
 * @param postmaster            {@code outbound.postmaster}: the local part (in every local domain, first
 *                              match wins) or full address that hears of notices which could not be delivered
 * @param maxReturnedSize       {@code outbound.dsn_max_return_size}: largest message returned whole with RET=FULL
 */
public record OutboundSettings(int maxConnections, int maxConnectionsPerHost, RetrySchedule schedule,
                               List<DnsServer> dnsServers, int mxPort, String postmaster, long maxReturnedSize) {

    public static final OutboundSettings DEFAULTS = new OutboundSettings(20, 5, RetrySchedule.DEFAULT, List.of(), 25,
            "postmaster", 10L * 1024 * 1024);

    /** A DNS server to ask instead of the system's. */
    public record DnsServer(String address, int port) {
        @Override
        public String toString() {
            return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
        }
    }

    public OutboundSettings {
        dnsServers = List.copyOf(dnsServers);
    }

    /** Reads every delivery setting from a settings map, falling back to the default for absent or bad values. */
    public static OutboundSettings from(Map<String, String> values) {
        SettingsReader r = new SettingsReader(values);
        OutboundSettings d = DEFAULTS;
        RetrySchedule s = d.schedule;
        return new OutboundSettings(
                (int) r.number("outbound.max_connections", d.maxConnections, 1, 10_000),
                (int) r.number("outbound.max_connections_per_host", d.maxConnectionsPerHost, 1, 1000),
                new RetrySchedule(
                        Duration.ofSeconds(r.number("outbound.retry_initial_s", s.initial().toSeconds(), 1, 86_400)),
                        Duration.ofSeconds(r.number("outbound.retry_max_s", s.max().toSeconds(), 1, 7 * 86_400)),
                        Duration.ofHours(r.number("outbound.max_queue_lifetime_h", s.lifetime().toHours(), 1, 24 * 60)),
                        Duration.ofHours(r.number("outbound.delay_notice_h", s.delayNotice().toHours(), 0, 24 * 60))),
                r.parse("dns.servers", d.dnsServers, OutboundSettings::dnsServers),
                (int) r.number("outbound.mx_port", d.mxPort, 1, 65_535),
                r.parse("outbound.postmaster", d.postmaster, OutboundSettings::postmaster),
                r.number("outbound.dsn_max_return_size", d.maxReturnedSize, 0, 100L * 1024 * 1024));
    }

    /** Parses {@code "127.0.0.1:5353, 10.0.0.1, [::1]:53"}. */
    static List<DnsServer> dnsServers(String text) {
        List<DnsServer> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            String host = s;
            int port = 53;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("has an unclosed [ in " + s);
                }
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    port = port(s.substring(close + 1), s);
                }
            } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
                host = s.substring(0, s.indexOf(':'));
                port = port(s.substring(s.indexOf(':')), s);
            }
            if (IpAddresses.parse(host) == null) {
                throw new IllegalArgumentException("lists " + s + ", which is not an IP address (name servers are given by address)");
            }
            out.add(new DnsServer(host, port));
        }
        return out;
    }

    private static int port(String colonPort, String item) {
        if (!colonPort.startsWith(":") || !colonPort.substring(1).matches("\\d{1,5}")
                || Integer.parseInt(colonPort.substring(1)) < 1 || Integer.parseInt(colonPort.substring(1)) > 65_535) {
            throw new IllegalArgumentException("has a bad port in " + item);
        }
        return Integer.parseInt(colonPort.substring(1));
    }

    private static String postmaster(String text) {
        if (text.isEmpty() || text.length() > 254 || text.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
            throw new IllegalArgumentException("must be a local part such as postmaster, or an address");
        }
        return text;
    }
}
