package org.mailwarden.server;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.core.config.ListenerRole;

/**
 * Which {@link ProtocolService} answers each listener role: the built-in services first, and the
 * "service not available" stand-in for every role none of them claims.
 */
public final class ProtocolServices {

    private ProtocolServices() {
    }

    /** The protocol services this build contains; each protocol module adds its own here when it lands. */
    public static List<ProtocolService> builtIn() {
        return List.of(new SmtpProtocolService(), new Pop3ProtocolService(), new ImapProtocolService());
    }

    /**
     * Assigns every role its service.
     *
     * @throws IllegalArgumentException when two services claim the same role
     */
    static Map<ListenerRole, ProtocolService> byRole(List<ProtocolService> services) {
        Map<ListenerRole, ProtocolService> byRole = new EnumMap<>(ListenerRole.class);
        for (ProtocolService service : services) {
            for (ListenerRole role : service.roles()) {
                ProtocolService previous = byRole.putIfAbsent(role, service);
                if (previous != null) {
                    throw new IllegalArgumentException("role " + role.key() + " is claimed by both "
                            + previous.getClass().getSimpleName() + " and " + service.getClass().getSimpleName());
                }
            }
        }
        ProtocolService unavailable = new UnavailableService();
        for (ListenerRole role : ListenerRole.values()) {
            byRole.putIfAbsent(role, unavailable);
        }
        return byRole;
    }
}
