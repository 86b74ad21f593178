package org.mailwarden.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.ConnectionHandler;
import org.mailwarden.core.net.Line;

/**
 * Stands in for every protocol that is not built yet: each connection gets that protocol's own "service
 * not available" reply and is closed, so clients see a well-formed temporary failure (and retry later)
 * instead of a silent port. SMTP {@code 421 4.3.2}, POP3 {@code -ERR [SYS/TEMP]}, IMAP {@code * BYE}, and
 * HTTP 503 on the admin port.
 */
final class UnavailableService implements ProtocolService {

    /** The admin placeholder reads at most this many request lines before answering. */
    static final int MAX_HTTP_REQUEST_LINES = 100;
    static final Duration HTTP_READ_TIMEOUT = Duration.ofSeconds(10);

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
            case ADMIN -> UnavailableService::http503;
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

    /**
     * Reads the request head (bounded in lines, line length and time) so the client is not reset while
     * still sending, then answers 503.
     */
    private static void http503(Connection connection) throws IOException {
        connection.setIdleTimeout(HTTP_READ_TIMEOUT);
        for (int i = 0; i < MAX_HTTP_REQUEST_LINES; i++) {
            Line line = connection.reader().readLine();
            if (line.isEof() || line.length() == 0) {
                break;
            }
            if (line.ending() == Line.Ending.TOO_LONG) {
                connection.reader().skipRestOfLine();
            }
        }
        byte[] body = "mailwarden: the admin API is not available yet\n".getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Retry-After: 3600\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = connection.output();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
