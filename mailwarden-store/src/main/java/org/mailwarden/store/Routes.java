package org.mailwarden.store;

import java.util.List;
import java.util.Optional;

/**
 * Outbound routing: static per-domain routes first, then the smarthost when one is set, else MX lookup.
 * A host may be a name or an IP address literal.
 */
public interface Routes {

    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Route(String domain, HostPort target) {
    }

    /** Adds or replaces the route for {@code domain}. */
    void put(String domain, HostPort target);

    /** NOT_FOUND when there is no route for the domain. */
    void remove(String domain);

    Optional<Route> find(String domain);

    List<Route> list();

    Optional<HostPort> smarthost();

    /** Sets the smarthost, or clears it with null. */
    void setSmarthost(HostPort target);
}
