package org.mailwarden.server;

import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;

/**
 * One protocol as the server wires it: the listener roles it answers and a {@link ConnectionHandler} per
 * role. A protocol module plugs in by adding one small implementation of this interface to
 * {@link ProtocolServices#builtIn()}; roles that no service claims answer "service not available".
 */
public interface ProtocolService {

    /** The roles this service serves, such as SMTP, SUBMISSION and SUBMISSIONS. */
    Set<ListenerRole> roles();

    /**
     * The session handler for every listener of {@code role}; called once per role when the server starts,
     * after the store and TLS are ready. Implicit-TLS roles get connections whose handshake is done.
     */
    ConnectionHandler handler(ListenerRole role, ServerContext context);

    /** Stops the service's own background work (queue runners and the like) at shutdown. */
    default void close() {
    }
}
