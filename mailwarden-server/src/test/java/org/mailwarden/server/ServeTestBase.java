package org.mailwarden.server;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the server as {@code serve} runs it, in this JVM: a data directory of its own, and the
 * server the test started is stopped after it, whatever happened.
 */
abstract class ServeTestBase {

    @TempDir
    Path dir;

    MailServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
