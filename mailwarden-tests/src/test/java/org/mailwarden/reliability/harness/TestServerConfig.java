package org.mailwarden.reliability.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;

/**
 * A {@code mailwarden.toml} for a test server: the given listener roles on free ports of 127.0.0.1, data
 * in {@code <dir>/data}, SQLite or an external PostgreSQL, and connection limits. The ports stay the same
 * across restarts of the server, as they would in production.
 *
 * @param file      the config file
 * @param dataDir   the data directory it names
 * @param ports     the port of each configured role
 * @param storage   the store the server uses, for opening it from the test after the server stopped
 */
public record TestServerConfig(Path file, Path dataDir, Map<ListenerRole, Integer> ports, StorageConfig storage) {

    public static final String HOSTNAME = "mx.example.test";

    /**
     * Writes the config file into {@code dir}.
     *
     * @param postgres     null for SQLite in the data directory, else the PostgreSQL database to use
     * @param maxTotal     limits.max_connections
     * @param maxPerIp     limits.max_connections_per_ip
     */
    public static TestServerConfig write(Path dir, Set<ListenerRole> roles, StorageConfig postgres, int maxTotal,
                                         int maxPerIp) throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        Map<ListenerRole, Integer> ports = new EnumMap<>(ListenerRole.class);
        List<Integer> free = freePorts(roles.size());
        int i = 0;
        for (ListenerRole role : ListenerRole.values()) {
            if (roles.contains(role)) {
                ports.put(role, free.get(i++));
            }
        }
        StringBuilder toml = new StringBuilder();
        toml.append("hostname = \"").append(HOSTNAME).append("\"\n");
        toml.append("data_dir = \"data\"\n\n[listen]\n");
        ports.forEach((role, port) -> toml.append(role.key()).append(" = [\"127.0.0.1:").append(port).append("\"]\n"));
        toml.append("\n[limits]\nmax_connections = ").append(maxTotal).append("\nmax_connections_per_ip = ")
                .append(maxPerIp).append('\n');
        StorageConfig storage = StorageConfig.sqlite(data);
        if (postgres != null) {
            toml.append("\n[storage]\nbackend = \"postgresql\"\nurl = \"").append(postgres.url()).append("\"\nuser = \"")
                    .append(postgres.user()).append("\"\npassword = \"").append(postgres.password()).append("\"\n");
            storage = StorageConfig.postgresql(data, postgres.url(), postgres.user(), postgres.password());
        }
        Path file = dir.resolve("mailwarden.toml");
        Files.writeString(file, toml);
        return new TestServerConfig(file, data, ports, storage);
    }

    public InetSocketAddress address(ListenerRole role) {
        Integer port = ports.get(role);
        if (port == null) {
            throw new IllegalArgumentException(role.key() + " is not configured");
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public Path certFile() {
        return dataDir.resolve("tls/cert.pem");
    }

    public Path keyFile() {
        return dataDir.resolve("tls/key.pem");
    }

    /** Ports handed out in this JVM: tests may run side by side, and none may get another's port. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * Ports below Linux's ephemeral range (32768–60999): a server killed with -9 must bind its ports again
     * on restart, and a port from the ephemeral range can meanwhile be taken by any client connection.
     */
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;

    private static List<Integer> freePorts(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ports.size() < count; attempt++) {
            if (attempt > 10_000) {
                throw new IOException("no free port between " + LOWEST + " and " + HIGHEST + " on 127.0.0.1");
            }
            int port = random.nextInt(LOWEST, HIGHEST);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException inUse) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                ports.add(port);
            }
        }
        return ports;
    }
}
