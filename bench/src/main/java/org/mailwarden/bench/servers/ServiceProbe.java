package org.mailwarden.bench.servers;

import java.io.IOException;
import java.util.Optional;
import org.mailwarden.bench.client.LineConnection;

/**
 * Whether a service really serves: connects and reads the greeting. A server whose protocol service is
 * not built yet answers with the protocol's "not available" greeting (SMTP {@code 421}, POP3
 * {@code -ERR}, IMAP {@code * BYE}); that, a refused connection or silence counts as unavailable, and
 * the reason says which.
 */
public final class ServiceProbe {

    private ServiceProbe() {
    }

    /** Empty when {@code service} greets normally at {@code endpoint}, else why not. */
    public static Optional<String> unavailable(Service service, Endpoint endpoint) {
        try (LineConnection c = LineConnection.open(endpoint.host(), endpoint.port(), 5000)) {
            String greeting = c.readLine();
            boolean ok = switch (service) {
                case SMTP -> greeting.startsWith("220");
                case IMAP -> greeting.regionMatches(true, 0, "* OK", 0, 4) || greeting.regionMatches(true, 0, "* PREAUTH", 0, 9);
                case POP3 -> greeting.startsWith("+OK");
            };
            if (ok) {
                greet(c, service);
                return Optional.empty();
            }
            return Optional.of("greets with \"" + greeting + "\"");
        } catch (IOException e) {
            return Optional.of("no greeting at " + endpoint + " (" + e.getMessage() + ")");
        }
    }

    /** Ends the probe politely so the server does not log an aborted session. */
    private static void greet(LineConnection c, Service service) throws IOException {
        c.writeLine(switch (service) {
            case SMTP, POP3 -> "QUIT";
            case IMAP -> "p LOGOUT";
        });
    }
}
