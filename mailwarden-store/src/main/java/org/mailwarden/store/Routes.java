package org.mailwarden.store;

import java.util.List;
import java.util.Optional;

/**
 * Outbound routing: static per-domain routes first, then the smarthost when one is set, else MX lookup.
 * A host may be a name or an IP address literal. Each route and the smarthost carry {@link RouteOptions}:
 * whether TLS with a verified certificate is required, and the credentials for SMTP AUTH (kept in the
 * store in clear, because the client has to present them).
 */
public interface Routes {

    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * How to talk to a route's server: {@code requireVerifiedTls} refuses delivery unless STARTTLS succeeds
     * with a certificate that verifies for the host name; {@code authUser} and {@code authPassword} (both
     * or neither) are sent with AUTH PLAIN or LOGIN.
     */
    record RouteOptions(boolean requireVerifiedTls, String authUser, String authPassword) {
        public static final RouteOptions NONE = new RouteOptions(false, null, null);

        public RouteOptions {
            if ((authUser == null) != (authPassword == null)) {
                throw new IllegalArgumentException("AUTH needs both a user name and a password");
            }
        }

        public boolean authenticates() {
            return authUser != null;
        }

        @Override
        public String toString() {
            return "RouteOptions[requireVerifiedTls=" + requireVerifiedTls + ", authUser=" + authUser
                    + (authPassword == null ? "" : ", authPassword=***") + "]";
        }
    }

    record Route(String domain, HostPort target, RouteOptions options) {
        public Route {
            options = options == null ? RouteOptions.NONE : options;
        }

        public Route(String domain, HostPort target) {
            this(domain, target, RouteOptions.NONE);
        }
    }

    /** Adds or replaces the route for {@code domain}, with default options. */
    default void put(String domain, HostPort target) {
        put(domain, target, RouteOptions.NONE);
    }

    /** Adds or replaces the route for {@code domain}. */
    void put(String domain, HostPort target, RouteOptions options);

    /** NOT_FOUND when there is no route for the domain. */
    void remove(String domain);

    Optional<Route> find(String domain);

    List<Route> list();

    Optional<HostPort> smarthost();

    /** The smarthost's options; empty when there is no smarthost. */
    Optional<RouteOptions> smarthostOptions();

    /** Sets the smarthost with default options, or clears it with null. */
    default void setSmarthost(HostPort target) {
        setSmarthost(target, RouteOptions.NONE);
    }

    /** Sets the smarthost, or clears it with a null target. */
    void setSmarthost(HostPort target, RouteOptions options);
}
