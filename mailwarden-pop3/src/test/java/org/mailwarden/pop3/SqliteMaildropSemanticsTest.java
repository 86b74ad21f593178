package org.mailwarden.pop3;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The maildrop semantics on the embedded SQLite store. */
class SqliteMaildropSemanticsTest extends MaildropSemanticsContract {

    @TempDir
    Path dataDir;

    @Override
    Store openStore() {
        return TestStores.sqlite(dataDir);
    }
}
