package org.mailwarden.smtp.server;

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

/** A {@link Store} that passes everything to another; fuzz targets override the one call they replace. */
class DelegatingStore implements Store {

    private final Store delegate;

    DelegatingStore(Store delegate) {
        this.delegate = delegate;
    }

    @Override
    public Domains domains() {
        return delegate.domains();
    }

    @Override
    public Accounts accounts() {
        return delegate.accounts();
    }

    @Override
    public Aliases aliases() {
        return delegate.aliases();
    }

    @Override
    public RelayRuleStore relayRules() {
        return delegate.relayRules();
    }

    @Override
    public Routes routes() {
        return delegate.routes();
    }

    @Override
    public Settings settings() {
        return delegate.settings();
    }

    @Override
    public Mailboxes mailboxes() {
        return delegate.mailboxes();
    }

    @Override
    public Queue queue() {
        return delegate.queue();
    }

    @Override
    public Locks locks() {
        return delegate.locks();
    }

    @Override
    public AcceptResult accept(AcceptRequest request) {
        return delegate.accept(request);
    }

    @Override
    public long changeCounter() {
        return delegate.changeCounter();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
