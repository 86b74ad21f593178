package org.mailwarden.server;

import java.util.EnumSet;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.imap.ImapService;

/**
 * Plugs the IMAP server into {@code serve}: one {@link ImapService} for the imap (STARTTLS) and imaps
 * listeners, spooling large APPENDs under {@code <data_dir>/tmp/imap}; closing it stops the change
 * monitor that wakes IDLE.
 */
final class ImapProtocolService extends SingleServiceProtocol<ImapService> {

    ImapProtocolService() {
        super(EnumSet.of(ListenerRole.IMAP, ListenerRole.IMAPS));
    }

    @Override
    ImapService create(ServerContext context) {
        return new ImapService(context.store(), context.runtime(), context.config().hostname(),
                context.tls()::context, new Authenticator(context.store().accounts(), new PasswordHasher()),
                context.authThrottle(), context.config().tmpDir().resolve("imap"));
    }

    @Override
    ConnectionHandler handler(ImapService service, ListenerRole role) {
        return service.handler(role);
    }

    @Override
    void close(ImapService service) {
        service.close();
    }
}
