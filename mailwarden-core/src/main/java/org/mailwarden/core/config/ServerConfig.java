package org.mailwarden.core.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.policy.IpRange;

/**
 * How the server process starts, as read by {@link ConfigLoader}: its host name (greetings, Received
 * headers, the self-signed certificate), the data directory, the addresses each listener binds to, the TLS
 * files, the storage, the connection limits and the load balancers allowed to send PROXY headers. Everything an administrator changes while the server runs
 * (domains, accounts, relay rules, routes) lives in the store, never here. All paths are absolute.
 *
 * @param listeners the addresses per role; a role that is absent or has an empty list is not served
 * @param proxyProtocolFrom load balancers whose connections start with a PROXY protocol header
 */
public record ServerConfig(
        String hostname,
        Path dataDir,
        Map<ListenerRole, List<ListenAddress>> listeners,
        TlsFiles tls,
        StorageConfig storage,
        ConnectionLimits limits,
        List<IpRange> proxyProtocolFrom) {

    public ServerConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(limits, "limits");
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
        EnumMap<ListenerRole, List<ListenAddress>> copy = new EnumMap<>(ListenerRole.class);
        listeners.forEach((role, addresses) -> {
            if (!addresses.isEmpty()) {
                copy.put(role, List.copyOf(addresses));
            }
        });
        listeners = java.util.Collections.unmodifiableMap(copy);
    }

    /** A configuration without load balancers in front. */
    public ServerConfig(String hostname, Path dataDir, Map<ListenerRole, List<ListenAddress>> listeners, TlsFiles tls,
                        StorageConfig storage, ConnectionLimits limits) {
        this(hostname, dataDir, listeners, tls, storage, limits, List.of());
    }

    /** The addresses for {@code role}; empty when the role is not served. */
    public List<ListenAddress> listeners(ListenerRole role) {
        return listeners.getOrDefault(role, List.of());
    }

    /** Where spool files and other scratch files go: {@code <data_dir>/tmp}. */
    public Path tmpDir() {
        return dataDir.resolve("tmp");
    }
}
