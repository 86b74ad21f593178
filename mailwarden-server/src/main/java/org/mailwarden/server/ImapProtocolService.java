package org.mailwarden.server;

import java.util.EnumSet;
import java.util.Set;
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
final class ImapProtocolService implements ProtocolService {

    private static final Set<ListenerRole> ROLES = EnumSet.of(ListenerRole.IMAP, ListenerRole.IMAPS);

    private ImapService service;

    @Override
    public Set<ListenerRole> roles() {
        return ROLES;
    }

    @Override
    public synchronized ConnectionHandler handler(ListenerRole role, ServerContext context) {
        if (service == null) {
            service = new ImapService(context.store(), context.runtime(), context.config().hostname(),
                    context.tls()::context, new Authenticator(context.store().accounts(), new PasswordHasher()),
                    context.authThrottle(), context.config().tmpDir().resolve("imap"));
        }
        return service.handler(role);
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            service.close();
        }
    }
}
