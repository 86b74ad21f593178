package org.mailwarden.smtp.server;

import java.net.InetAddress;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.net.Connection;

/**
 * The facts of one connection the session decides with: the listener role, the client's and our
 * address, and its TLS state at connect time ({@code tls} is set for implicit TLS).
 *
 * @param startTlsAvailable whether STARTTLS can be offered (a TLS context exists and TLS is not on yet)
 */
record ClientInfo(ListenerRole role, InetAddress clientAddress, InetAddress localAddress, Connection.TlsInfo tls,
                         boolean startTlsAvailable) {
}
