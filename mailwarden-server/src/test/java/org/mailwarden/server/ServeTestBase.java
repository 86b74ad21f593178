package org.mailwarden.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.StorageConfig;

/**
 * A test of the server as {@code serve} runs it, in this JVM: a data directory of its own, every role on
 * a free port over SQLite, alice@example.test when the test wants her, and the server the test started
 * stopped after it, whatever happened.
 */
abstract class ServeTestBase {

    static final String PASSWORD = "a long enough password";

    @TempDir
    Path dir;

    MailServer server;

    /** Starts {@code services} with every listener role on a free port and the store in {@link #dir}. */
    MailServer start(List<ProtocolService> services) {
        server = MailServer.start(TestConfigs.everyRoleOnFreePorts(dir, StorageConfig.sqlite(dir)), services);
        return server;
    }

    /** Adds the local domain example.test and alice@example.test with {@link #PASSWORD}; her account id. */
    long addAlice() {
        server.store().domains().add("example.test", null);
        StoredPassword pw = StoredPassword.derive(new PasswordHasher(), PASSWORD);
        return server.store().accounts().add("alice", "example.test", pw.passwordHash(), pw.scramSha256()).id();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
