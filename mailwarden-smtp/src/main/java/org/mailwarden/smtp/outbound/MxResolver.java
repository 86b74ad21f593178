package org.mailwarden.smtp.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.mailwarden.core.address.IpAddresses;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the servers for a domain as RFC 5321 §5.1 says, with dnsjava against the configured name servers
 * (or the system's): MX records by preference, in random order among equal preferences, each host's
 * IPv4 then IPv6 addresses; a domain without MX records is its own mail host (A/AAAA fallback); a null MX
 * (RFC 7505) or a domain that does not exist fails for good; a DNS failure (timeout, SERVFAIL, truncated or
 * bogus answer, CNAME loop) defers. Answers are cached by their TTL.
 */
public final class MxResolver {

    /** The most MX hosts and addresses a delivery attempt considers (Postfix's smtp_mx_address_limit is 5). */
    static final int MAX_HOSTS = 10;
    static final int MAX_ADDRESSES = 10;
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    /** A resolver asking {@code servers}, or the system's resolvers when the list is empty. */
    public MxResolver(List<OutboundSettings.DnsServer> servers) {
        if (servers.isEmpty()) {
            this.resolver = Lookup.getDefaultResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            for (OutboundSettings.DnsServer s : servers) {
                SimpleResolver r = new SimpleResolver(new InetSocketAddress(literal(s.address()), s.port()));
                r.setTimeout(QUERY_TIMEOUT);
                each.add(r);
            }
            ExtendedResolver extended = new ExtendedResolver(each);
            extended.setTimeout(QUERY_TIMEOUT);
            extended.setRetries(2);
            this.resolver = extended;
        }
    }

    private static InetAddress literal(String address) {
        InetAddress ip = IpAddresses.parse(address);
        if (ip == null) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        return ip;
    }

    /** Where mail goes: the hosts to try in order, or why there are none. */
    public sealed interface Resolution {
    }

    /** The hosts to try, in order. */
    public record Hosts(List<NextHop> hops) implements Resolution {
        public Hosts {
            hops = List.copyOf(hops);
        }
    }

    /** No host: {@code result} is the failure (permanent) or deferral (temporary) to record. */
    public record Failure(DeliveryResult result) implements Resolution {
    }

    /**
     * The mail hosts of {@code domain} on {@code port}; {@code ownName} is this server's host name, and an MX
     * pointing at it is a loop.
     */
    public Resolution mailHosts(String domain, int port, String ownName) {
        Name name;
        try {
            name = Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            return new Failure(DeliveryResult.failed("5.1.2", "bad destination domain " + domain));
        }
        Answer mx = query(name, Type.MX);
        return switch (mx.status()) {
            case FOUND -> fromMx(domain, mx.records(), port, ownName);
            // RFC 5321 §5.1: no MX records, so the domain itself is the host.
            case NO_DATA -> addressesOf(List.of(name), port,
                    DeliveryResult.failed("5.1.2", "domain " + domain + " has no MX and no address record"));
            case NOT_FOUND -> new Failure(DeliveryResult.failed("5.1.2", "domain " + domain + " does not exist (DNS "
                    + "says NXDOMAIN)"));
            case TEMPORARY -> new Failure(DeliveryResult.deferred("4.4.3", "DNS lookup of MX for " + domain
                    + " failed: " + mx.error()));
        };
    }

    /** The addresses of one host (a route or smarthost given by name), without MX lookup. */
    public Resolution hostAddresses(String host, int port) {
        try {
            return addressesOf(List.of(Name.fromString(host, Name.root)), port,
                    DeliveryResult.deferred("4.4.4", "host " + host + " has no address record"));
        } catch (TextParseException e) {
            return new Failure(DeliveryResult.deferred("4.4.4", "bad host name " + host));
        }
    }

    private Resolution fromMx(String domain, List<Record> records, int port, String ownName) {
        Map<Integer, List<Name>> byPreference = new TreeMap<>();
        boolean nullMx = false;
        for (Record r : records) {
            if (r instanceof MXRecord mx) {
                if (mx.getTarget().equals(Name.root)) {
                    nullMx = true;
                } else {
                    byPreference.computeIfAbsent(mx.getPriority(), k -> new ArrayList<>()).add(mx.getTarget());
                }
            }
        }
        if (nullMx) {
            return new Failure(DeliveryResult.failed("5.1.10", "domain " + domain + " accepts no mail (null MX, RFC 7505)"));
        }
        List<Name> ordered = new ArrayList<>();
        for (List<Name> same : byPreference.values()) {
            Collections.shuffle(same, ThreadLocalRandom.current());
            ordered.addAll(same);
        }
        if (ordered.isEmpty()) {
            return new Failure(DeliveryResult.deferred("4.4.3", "DNS answer for MX of " + domain + " holds no MX record"));
        }
        for (Name n : ordered) {
            if (hostText(n).equalsIgnoreCase(ownName)) {
                return new Failure(DeliveryResult.failed("5.4.6", "mail for " + domain + " loops back to myself (MX "
                        + hostText(n) + ")"));
            }
        }
        return addressesOf(ordered.subList(0, Math.min(MAX_HOSTS, ordered.size())), port,
                DeliveryResult.deferred("4.4.4", "no address record for the MX hosts of " + domain));
    }

    /** The addresses of {@code hosts} in order; {@code none} when there are none and no lookup failed. */
    private Resolution addressesOf(List<Name> hosts, int port, DeliveryResult none) {
        List<NextHop> hops = new ArrayList<>();
        String temporary = null;
        for (Name host : hosts) {
            for (int type : new int[] {Type.A, Type.AAAA}) {
                Answer a = query(host, type);
                if (a.status() == Status.TEMPORARY) {
                    temporary = "DNS lookup of " + Type.string(type) + " for " + hostText(host) + " failed: " + a.error();
                }
                for (Record r : a.records()) {
                    InetAddress ip = r instanceof ARecord ar ? ar.getAddress()
                            : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                    if (ip != null && hops.size() < MAX_ADDRESSES && !ip.isAnyLocalAddress() && !ip.isMulticastAddress()) {
                        hops.add(new NextHop(hostText(host), ip, port));
                    }
                }
            }
        }
        if (!hops.isEmpty()) {
            return new Hosts(hops);
        }
        if (temporary != null) {
            return new Failure(DeliveryResult.deferred("4.4.3", temporary));
        }
        return new Failure(none);
    }

    private static String hostText(Name n) {
        return n.toString(true).toLowerCase(Locale.ROOT);
    }

    private enum Status { FOUND, NO_DATA, NOT_FOUND, TEMPORARY }

    private record Answer(Status status, List<Record> records, String error) {
    }

    private Answer query(Name name, int type) {
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setSearchPath(List.of());
        Record[] answers = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> new Answer(Status.FOUND, answers == null ? List.of() : List.of(answers), null);
            case Lookup.TYPE_NOT_FOUND -> new Answer(Status.NO_DATA, List.of(), null);
            case Lookup.HOST_NOT_FOUND -> new Answer(Status.NOT_FOUND, List.of(), null);
            default -> new Answer(Status.TEMPORARY, List.of(), Text.printable(String.valueOf(lookup.getErrorString()), 200));
        };
    }
}
