package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestStores;

/**
 * The maildrop semantics on PostgreSQL, plus the lock across cluster nodes: two servers with their own
 * store connections to one database, as two nodes behind a load balancer.
 */
class PostgresMaildropSemanticsTest extends MaildropSemanticsContract {

    private StorageConfig config;

    @Override
    Store openStore() {
        config = TestStores.postgresqlConfig();
        return Stores.open(config);
    }

    @Test
    void lockHoldsAcrossNodes(@TempDir Path otherTls) throws Exception {
        try (Store nodeTwoStore = Stores.open(config);
             Pop3TestServer nodeTwo = Pop3TestServer.start(nodeTwoStore, otherTls)) {
            try (PopWire onNodeOne = PopWire.connect(server.pop3Port())) {
                onNodeOne.readLine();
                assertThat(onNodeOne.login("alice", "alice-secret")).startsWith("+OK maildrop has 3 messages");
                assertThat(onNodeOne.command("DELE 1")).startsWith("+OK");
                try (PopWire onNodeTwo = PopWire.connect(nodeTwo.pop3Port())) {
                    onNodeTwo.readLine();
                    assertThat(onNodeTwo.login("alice", "alice-secret")).startsWith("-ERR [IN-USE]");
                    assertThat(onNodeOne.command("QUIT")).startsWith("+OK");
                    assertThat(onNodeTwo.login("alice", "alice-secret"))
                            .as("node two sees node one's QUIT").startsWith("+OK maildrop has 2 messages");
                    assertThat(onNodeTwo.command("QUIT")).startsWith("+OK");
                }
            }
        }
    }
}
