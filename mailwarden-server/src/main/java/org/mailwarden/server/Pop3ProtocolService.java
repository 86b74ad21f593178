package org.mailwarden.server;

import java.util.EnumSet;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.pop3.Pop3Service;

/**
 * Plugs the POP3 server into {@code serve}: one {@link Pop3Service} for the {@code pop3} listeners (STLS
 * offered with the server's certificate) and the {@code pop3s} listeners (implicit TLS). Its runtime
 * switches ({@code pop3.allow_plaintext} and the others) come from the server's runtime config.
 */
final class Pop3ProtocolService extends SingleServiceProtocol<Pop3Service> {

    Pop3ProtocolService() {
        super(EnumSet.of(ListenerRole.POP3, ListenerRole.POP3S));
    }

    @Override
    Pop3Service create(ServerContext context) {
        return new Pop3Service(context.store(), context.runtime(), context.config().hostname(),
                context.tls()::context, new Authenticator(context.store().accounts(), new PasswordHasher()),
                context.authThrottle());
    }

    @Override
    ConnectionHandler handler(Pop3Service service, ListenerRole role) {
        return service.handler(role);
    }
}
