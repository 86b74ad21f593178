package org.mailwarden.server;

import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;

/**
 * A {@link ProtocolService} whose one protocol service object, built when the first of its listeners is
 * wired, answers all its roles, so every listener of the protocol shares its state (change monitor,
 * spool, runtime settings). Subclasses say how to build that object and how it hands out a role's handler.
 *
 * @param <S> the protocol module's service, such as {@code ImapService}
 */
abstract class SingleServiceProtocol<S> implements ProtocolService {

    private final Set<ListenerRole> roles;
    private S service;

    SingleServiceProtocol(Set<ListenerRole> roles) {
        this.roles = Set.copyOf(roles);
    }

    /** Builds the service from what the running server offers; called once. */
    abstract S create(ServerContext context);

    /** The service's handler for one of this protocol's roles. */
    abstract ConnectionHandler handler(S service, ListenerRole role);

    /** Stops the service's own background work; nothing by default. */
    void close(S service) {
    }

    @Override
    public final Set<ListenerRole> roles() {
        return roles;
    }

    @Override
    public final synchronized ConnectionHandler handler(ListenerRole role, ServerContext context) {
        if (service == null) {
            service = create(context);
        }
        return handler(service, role);
    }

    @Override
    public final synchronized void close() {
        if (service != null) {
            close(service);
        }
    }
}
