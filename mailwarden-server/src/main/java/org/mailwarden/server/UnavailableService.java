package org.mailwarden.server;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.ConnectionHandler;

/**
 * Stands in for every protocol that is not built yet: each connection gets that protocol's own "service
 * not available" reply and is closed, so clients see a well-formed temporary failure (and retry later)
 * instead of a silent port: SMTP {@code 421 4.3.2}, POP3 {@code -ERR [SYS/TEMP]}, IMAP {@code * BYE}. The
 * admin listener is not a protocol service; {@code AdminHttpServer} serves it.
 */
final class UnavailableService implements ProtocolService {

    @Override
    public Set<ListenerRole> roles() {
        return EnumSet.allOf(ListenerRole.class);
    }

    @Override
    public ConnectionHandler handler(ListenerRole role, ServerContext context) {
        String hostname = context.config().hostname();
        return switch (role) {
            case SMTP, SUBMISSION, SUBMISSIONS -> greeting("421 4.3.2 " + hostname + " Service not available");
            case POP3, POP3S -> greeting("-ERR [SYS/TEMP] service not available");
            case IMAP, IMAPS -> greeting("* BYE service not available");
            case ADMIN -> throw new IllegalArgumentException("the admin listener is served by AdminHttpServer");
        };
    }

    private static ConnectionHandler greeting(String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return connection -> {
            OutputStream out = connection.output();
            out.write(bytes);
            out.flush();
        };
    }
}
