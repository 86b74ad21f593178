package org.mailwarden.smtp.outbound;

import java.net.InetAddress;
import org.mailwarden.core.address.IpAddresses;

/**
 * One server to connect to: the host name it was found under (for TLS verification, SNI and logs; the
 * address itself for an IP route), its address and port.
 */
public record NextHop(String host, InetAddress address, int port) {

    /** {@code host[address]:port}, as in the Remote-MTA of notices and the log. */
    @Override
    public String toString() {
        return host + "[" + IpAddresses.toText(address) + "]:" + port;
    }

    /** {@code host[address]} for the Remote-MTA field of a notice. */
    public String mta() {
        return host + "[" + IpAddresses.toText(address) + "]";
    }
}
