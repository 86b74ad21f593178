package org.mailwarden.store;

/**
 * The storage SPI: everything mailwarden keeps, behind one interface with two implementations,
 * SQLite plus blob segments on disk (the embedded default) and PostgreSQL (clusters). Administrative
 * objects (domains, accounts, aliases, relay rules, routes, settings) are changed by the CLI, the REST
 * API and the web console through this interface; every change bumps {@link #changeCounter()} in the
 * same transaction, which is how running servers on every node notice it and reload within seconds.
 * Mail itself enters through {@link #accept(AcceptRequest)}, a durable group commit.
 * Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

    Domains domains();

    Accounts accounts();

    Aliases aliases();

    RelayRuleStore relayRules();

    Routes routes();

    Settings settings();

    Mailboxes mailboxes();

    Queue queue();

    Locks locks();

    /**
     * Stores one accepted message durably: its body (blob) and every local delivery and outbound
     * recipient, in one commit. Returns only when all of it is on stable storage, so the caller may then
     * answer 250. Concurrent calls are grouped into one flush.
     *
     * @throws StoreException of kind {@code DISK_FULL} or {@code UNAVAILABLE} when nothing was stored
     */
    AcceptResult accept(AcceptRequest request);

    /**
     * A counter that every administrative change increments, visible to every process and node using
     * the same store. Cheap to call; servers poll it about once a second.
     */
    long changeCounter();

    @Override
    void close();
}
