package org.mailwarden.store.jdbc;

import java.nio.file.Path;
import java.util.List;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;
import org.mailwarden.store.testing.TestContent;

/**
 * A second process writing to a SQLite store, as the CLI does beside a running server. Accepts
 * {@code count} messages for {@code accountId} and prints {@code STORED <queueId>} after each accept
 * returns (that is, after the store said it is durable). Closes the store at the end, unless it is killed first.
 * Arguments: dataDir accountId prefix count.
 */
public final class StoreWriterProcess {

    private StoreWriterProcess() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        long accountId = Long.parseLong(args[1]);
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        try (Store store = Stores.open(StorageConfig.sqlite(dataDir))) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                store.accept(new AcceptRequest(id, "", body(id), List.of(new AcceptRequest.LocalDelivery(accountId, "INBOX")),
                        null, List.of(), false, null, null));
                System.out.println("STORED " + id);
                System.out.flush();
            }
        }
        System.out.println("DONE");
    }

    /**
     * The body written for a queue id: its id first, then text derived from it: a few KiB, stored inside
     * the database, or for ids ending in 7 more than the inline limit, stored in a segment, so that both
     * kinds of storage are exercised.
     */
    static org.mailwarden.core.io.MessageContent body(String id) {
        int repeat = id.endsWith("7") ? (int) (TieredBlobStore.DEFAULT_INLINE_LIMIT / id.length() + 1) : 200;
        return TestContent.of(("Message-ID: <" + id + ">\r\n\r\n" + id.repeat(repeat) + "\r\n").getBytes());
    }
}
