package org.mailwarden.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.AcceptResult;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Aliases;
import org.mailwarden.store.Domains;
import org.mailwarden.store.Locks;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Queue;
import org.mailwarden.store.RelayRuleStore;
import org.mailwarden.store.Routes;
import org.mailwarden.store.Settings;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;
import org.mailwarden.store.jdbc.GroupCommitter.StoredBody;

/**
 * The {@link Store} for both backends: one JDBC implementation per SPI area over a {@link Database}, a
 * {@link BlobStore} for bodies and a {@link GroupCommitter} for durable writes of new mail. Only the
 * dialect and the blob store differ between SQLite and PostgreSQL.
 */
public final class JdbcStore implements Store {

    private final Database db;
    private final BlobStore blobs;
    private final GroupCommitter committer;
    private final Domains domains;
    private final Accounts accounts;
    private final Aliases aliases;
    private final RelayRuleStore relayRules;
    private final Routes routes;
    private final Settings settings;
    private final Mailboxes mailboxes;
    private final Queue queue;
    private final Locks locks;
    /** Null on PostgreSQL, which checkpoints on its own. */
    private final WalCheckpointer checkpointer;

    private JdbcStore(Database db, BlobStore blobs, WalCheckpointer checkpointer) {
        this.db = db;
        this.blobs = blobs;
        this.checkpointer = checkpointer;
        this.committer = new GroupCommitter(db, blobs);
        this.domains = new JdbcDomains(db);
        this.accounts = new JdbcAccounts(db);
        this.aliases = new JdbcAliases(db);
        this.relayRules = new JdbcRelayRules(db);
        this.routes = new JdbcRoutes(db);
        this.settings = new JdbcSettings(db);
        this.mailboxes = new JdbcMailboxes(db, blobs, committer);
        this.queue = new JdbcQueue(db, blobs);
        this.locks = new JdbcLocks(db);
    }

    /**
     * Opens (creating if needed) the embedded store: {@code dataDir/mailwarden.db}, which also holds the
     * bodies up to 128 KiB, and {@code dataDir/blobs/} for larger ones.
     */
    public static JdbcStore sqlite(Path dataDir) {
        return sqlite(dataDir, SegmentBlobStore.DEFAULT_SEGMENT_SIZE, TieredBlobStore.DEFAULT_INLINE_LIMIT);
    }

    /** The embedded store with other segment and inline limits (tests: roll-overs, segment-only bodies). */
    static JdbcStore sqlite(Path dataDir, long segmentSize, long inlineLimit) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Database db = Database.sqlite(dataDir.resolve("mailwarden.db"));
        try {
            Migrations.runLocked(db, dataDir.resolve("mailwarden.db.migrate-lock"));
            return new JdbcStore(db, new TieredBlobStore(db,
                    new SegmentBlobStore(dataDir.resolve("blobs"), segmentSize), inlineLimit), new WalCheckpointer(db));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Opens the cluster store in the PostgreSQL database at {@code url}, bodies included. */
    public static JdbcStore postgresql(String url, String user, String password) {
        Database db = Database.postgresql(url, user, password);
        try {
            Migrations.run(db);
            return new JdbcStore(db, new DatabaseBlobStore(db), null);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public Domains domains() {
        return domains;
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public Aliases aliases() {
        return aliases;
    }

    @Override
    public RelayRuleStore relayRules() {
        return relayRules;
    }

    @Override
    public Routes routes() {
        return routes;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Mailboxes mailboxes() {
        return mailboxes;
    }

    @Override
    public Queue queue() {
        return queue;
    }

    @Override
    public Locks locks() {
        return locks;
    }

    @Override
    public AcceptResult accept(AcceptRequest request) {
        List<MessageContent> bodies = new ArrayList<>(2);
        if (!request.local().isEmpty()) {
            bodies.add(request.localContent());
        }
        boolean sameContent = request.outboundContent() == request.localContent();
        if (!request.outbound().isEmpty() && !sameContent) {
            bodies.add(request.outboundContent());
        }
        byte[] structure = request.local().isEmpty() ? null : Structures.compute(request.localContent());
        return committer.submit(bodies, (c, stored) -> {
            Instant now = Instant.now();
            StoredBody local = request.local().isEmpty() ? null : stored.getFirst();
            if (local != null) {
                Structures.save(c, local.blobId(), structure);
            }
            StoredBody outbound = request.outbound().isEmpty() ? null : stored.getLast();
            List<AcceptResult.Delivered> delivered = new ArrayList<>(request.local().size());
            for (AcceptRequest.LocalDelivery d : request.local()) {
                long mailboxId = deliveryMailbox(c, d);
                long uid = MailboxRows.insertMessage(c, mailboxId, local.blobId(), local.length(), "",
                        now.toEpochMilli()).uid();
                delivered.add(new AcceptResult.Delivered(d.accountId(), mailboxId, uid));
            }
            if (outbound != null) {
                JdbcQueue.insert(c, request, outbound.blobId(), outbound.length(), now);
            }
            return new AcceptResult(request.queueId(), delivered);
        });
    }

    /** The named mailbox when the account has it, else INBOX; NOT_FOUND when the account is gone. */
    private static long deliveryMailbox(Connection c, AcceptRequest.LocalDelivery d) throws SQLException {
        if (d.mailbox() != null) {
            try {
                var named = MailboxRows.findId(c, d.accountId(), Names.mailbox(d.mailbox()));
                if (named.isPresent()) {
                    return named.get();
                }
            } catch (StoreException invalidName) {
                // An unusable mailbox name from a filter rule still delivers, to INBOX.
            }
        }
        return MailboxRows.findId(c, d.accountId(), Names.INBOX)
                .orElseThrow(() -> Names.notFound("account " + d.accountId() + " does not exist"));
    }

    @Override
    public long changeCounter() {
        return db.read(c -> Sql.number(c, "SELECT value FROM counter WHERE name = 'changes'"));
    }

    @Override
    public void close() {
        try {
            committer.close();
        } finally {
            try {
                blobs.close();
            } finally {
                try {
                    if (checkpointer != null) {
                        checkpointer.close();
                    }
                } finally {
                    db.close();
                }
            }
        }
    }
}
