package org.mailwarden.bench.servers;

/** Where a service listens: always an address on loopback. */
public record Endpoint(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
