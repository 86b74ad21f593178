package org.mailwarden.reliability.harness;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test that runs the server as a separate process: a directory of its own for the config, data and
 * log, and the process the test started killed after it, whatever happened.
 */
public abstract class ServerProcessTestBase {

    @TempDir
    protected Path dir;

    protected ServerProcess server;

    @AfterEach
    void killServer() {
        if (server != null) {
            server.close();
        }
    }
}
