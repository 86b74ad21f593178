package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.testing.ExternalProcess;
import org.mailwarden.store.Store;

/**
 * Python's imaplib against the server as shipped (plaintext refused before TLS), over STARTTLS and over
 * IMAPS: LIST, CREATE, APPEND, SELECT, FETCH (whole message, section), SEARCH, STORE, COPY, EXPUNGE,
 * STATUS, CLOSE, DELETE, LOGOUT. The script is src/test/resources/python/imaplib_session.py.
 */
class PythonImaplibTest extends ImapServerTestBase {

    @Override
    void configure(Store store) {
        // defaults: LOGINDISABLED before TLS
    }

    private void run(String mode, int port) throws Exception {
        assumeTrue(ExternalProcess.available("python3"), "python3 is not installed");
        ExternalProcess p = ExternalProcess.run(dir, List.of("python3",
                Path.of("src/test/resources/python/imaplib_session.py").toAbsolutePath().toString(), mode,
                String.valueOf(port), login, ImapTestServer.PASSWORD, ImapTestServer.certificate().toString()));
        p.assertSucceeded();
        assertThat(p.stdout()).contains("ok fetch section", "ok expunge").endsWith("done\n");
    }

    @Test
    void starttls() throws Exception {
        run("starttls", server.imapPort());
    }

    @Test
    void imaps() throws Exception {
        run("imaps", server.imapsPort());
    }
}
