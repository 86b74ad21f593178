package org.mailwarden.smtp.outbound;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.store.Routes;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import org.mailwarden.store.Routes.RouteOptions;

/**
 * Decides where mail for a recipient domain goes, in the order the administrator expects: the domain's
 * static route, else the smarthost, else the domain's MX hosts. A route or smarthost given as an IP address
 * is used as it is; one given by name is looked up (A/AAAA, not MX). A recipient at an address literal
 * ({@code user@[192.0.2.1]}) goes to that address. Works on a snapshot of the routes taken when it is made.
 */
final class Router {

    /** Where a group of recipients goes: a lane key shared by all that reach the same hosts, and how. */
    sealed interface Routing {
    }

    /**
     * @param key     recipients with the same key share connections and the per-host limit
     * @param hops    the servers to try, in order
     * @param options TLS requirement and AUTH credentials of the route
     */
    record Destination(String key, List<NextHop> hops, RouteOptions options) implements Routing {
        Destination {
            hops = List.copyOf(hops);
        }
    }

    /** No destination; {@code result} is the failure or deferral to record for every recipient. */
    record Unroutable(DeliveryResult result) implements Routing {
    }

    private final Map<String, Route> routes;
    private final Optional<HostPort> smarthost;
    private final RouteOptions smarthostOptions;
    private final MxResolver dns;
    private final int mxPort;
    private final String ownName;

    Router(Routes store, MxResolver dns, int mxPort, String ownName) {
        this.routes = store.list().stream().collect(Collectors.toMap(Route::domain, r -> r, (a, b) -> a));
        this.smarthost = store.smarthost();
        this.smarthostOptions = store.smarthostOptions().orElse(RouteOptions.NONE);
        this.dns = dns;
        this.mxPort = mxPort;
        this.ownName = ownName;
    }

    Routing route(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.startsWith("[") && d.endsWith("]")) {
            return literal(d);
        }
        Route route = routes.get(d);
        if (route != null) {
            return toHost(key("route " + route.target(), route.options()), route.target(), route.options());
        }
        if (smarthost.isPresent()) {
            return toHost(key("smarthost " + smarthost.get(), smarthostOptions), smarthost.get(), smarthostOptions);
        }
        return switch (dns.mailHosts(d, mxPort, ownName)) {
            case MxResolver.Hosts h -> new Destination("mx " + h.hops().stream().map(NextHop::host).distinct().sorted()
                    .collect(Collectors.joining(",")) + ":" + mxPort, h.hops(), RouteOptions.NONE);
            case MxResolver.Failure f -> new Unroutable(f.result());
        };
    }

    /** Routes to one server with different options must not share connections. */
    private static String key(String base, RouteOptions o) {
        return base + (o.requireVerifiedTls() ? " verified-tls" : "") + (o.authenticates() ? " auth=" + o.authUser() : "");
    }

    private Routing toHost(String key, HostPort target, RouteOptions options) {
        InetAddress ip = IpAddresses.parse(target.host());
        if (ip != null) {
            return new Destination(key, List.of(new NextHop(target.host(), ip, target.port())), options);
        }
        return switch (dns.hostAddresses(target.host(), target.port())) {
            case MxResolver.Hosts h -> new Destination(key, h.hops(), options);
            case MxResolver.Failure f -> new Unroutable(f.result());
        };
    }

    private Routing literal(String domain) {
        String inner = domain.substring(1, domain.length() - 1);
        String text = inner.regionMatches(true, 0, "IPv6:", 0, 5) ? inner.substring(5) : inner;
        InetAddress ip = IpAddresses.parse(text);
        if (ip == null) {
            return new Unroutable(DeliveryResult.failed("5.1.2", "bad address literal " + domain));
        }
        return new Destination("literal " + domain + ":" + mxPort, List.of(new NextHop(IpAddresses.toText(ip), ip, mxPort)),
                RouteOptions.NONE);
    }
}
