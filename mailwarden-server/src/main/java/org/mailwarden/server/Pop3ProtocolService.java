package org.mailwarden.server;

import java.util.EnumSet;
import java.util.Set;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.pop3.Pop3Service;

/**
 * Plugs the POP3 server into {@code serve}: one {@link Pop3Service} for the {@code pop3} listeners (STLS
 * offered with the server's certificate) and the {@code pop3s} listeners (implicit TLS). Its runtime
 * switches ({@code pop3.allow_plaintext} and the others) are read from the store's settings.
 */
final class Pop3ProtocolService implements ProtocolService {

    private static final Set<ListenerRole> ROLES = EnumSet.of(ListenerRole.POP3, ListenerRole.POP3S);

    private Pop3Service service;

    @Override
    public Set<ListenerRole> roles() {
        return ROLES;
    }

    @Override
    public synchronized ConnectionHandler handler(ListenerRole role, ServerContext context) {
        if (service == null) {
            service = new Pop3Service(context.store(), context.runtime(), context.config().hostname(),
                    context.tls()::context, new Authenticator(context.store().accounts(), new PasswordHasher()),
                    context.authThrottle());
        }
        return service.handler(role);
    }
}
