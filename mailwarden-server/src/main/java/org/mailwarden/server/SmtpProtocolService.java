package org.mailwarden.server;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.core.config.ListenAddress;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.smtp.server.SmtpService;

/**
 * Plugs the SMTP server into {@code serve}: one {@link SmtpService} for the MTA, submission and
 * submissions listeners, spooling under {@code <data_dir>/tmp/smtp}. The numeric addresses the SMTP
 * listeners are bound to are the ones an address literal may name as local.
 */
final class SmtpProtocolService extends SingleServiceProtocol<SmtpService> {

    private static final Set<ListenerRole> ROLES = EnumSet.of(ListenerRole.SMTP, ListenerRole.SUBMISSION,
            ListenerRole.SUBMISSIONS);

    SmtpProtocolService() {
        super(ROLES);
    }

    @Override
    SmtpService create(ServerContext context) {
        return new SmtpService(context.store(), context.runtime(), context.config().hostname(),
                context.tls()::context, context.config().tmpDir().resolve("smtp"), listenerAddresses(context),
                context.authThrottle());
    }

    @Override
    ConnectionHandler handler(SmtpService service, ListenerRole role) {
        return service.handler(role);
    }

    private static Set<InetAddress> listenerAddresses(ServerContext context) {
        Set<InetAddress> out = new HashSet<>();
        for (ListenerRole role : ROLES) {
            for (ListenAddress a : context.config().listeners(role)) {
                InetAddress ip = IpAddresses.parse(a.host());
                if (ip != null && !ip.isAnyLocalAddress()) {
                    out.add(ip);
                }
            }
        }
        return out;
    }
}
