package org.mailwarden.server;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.core.config.ListenAddress;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.ServerConfig;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.config.TlsFiles;
import org.mailwarden.core.net.ConnectionLimits;

/** Server configs for tests: every role on 127.0.0.1 port 0 (a free port), data in a temporary directory. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ServerConfig everyRoleOnFreePorts(Path dataDir, StorageConfig storage) {
        Map<ListenerRole, List<ListenAddress>> listeners = new EnumMap<>(ListenerRole.class);
        for (ListenerRole role : ListenerRole.values()) {
            listeners.put(role, List.of(new ListenAddress("127.0.0.1", 0)));
        }
        return new ServerConfig("mx.example.test", dataDir, listeners,
                new TlsFiles(dataDir.resolve("tls/cert.pem"), dataDir.resolve("tls/key.pem")), storage,
                ConnectionLimits.DEFAULT);
    }
}
