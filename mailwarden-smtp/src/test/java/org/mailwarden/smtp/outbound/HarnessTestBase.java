package org.mailwarden.smtp.outbound;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery test's fixture: a directory of its own, the {@link Harness} (store and delivery service)
 * and the {@link SmtpSink} it delivers to, both closed after each test whatever happened.
 */
abstract class HarnessTestBase {

    @TempDir
    Path dir;

    Harness h;
    SmtpSink sink;

    @AfterEach
    void closeHarness() throws Exception {
        if (h != null) {
            h.close();
        }
        if (sink != null) {
            sink.close();
        }
    }
}
