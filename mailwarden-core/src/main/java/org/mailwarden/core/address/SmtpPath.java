package org.mailwarden.core.address;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A parsed reverse-path or forward-path. Each form is its own type so that no caller can mistake one for
 * another: an address literal is never a domain name and is never found in the list of local domains; the
 * caller decides whether it is local (only when it is one of our listener addresses and the administrator
 * enabled literals).
 */
public sealed interface SmtpPath {

    /** The null reverse-path {@code <>} (bounces and other notifications); only valid in {@code MAIL FROM}. */
    record Null() implements SmtpPath {
    }

    /**
     * The bare {@code <Postmaster>} recipient of RFC 5321 §4.1.1.3, which every server must accept without a
     * domain. {@code localPart} keeps the client's spelling.
     */
    record Postmaster(String localPart) implements SmtpPath {
    }

    /** An ordinary mailbox at a domain name (canonical lower-case A-label form). */
    record Mailbox(MailAddress address) implements SmtpPath {
    }

    /** A mailbox at an address literal such as {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    record Literal(String localPart, InetAddress ip) implements SmtpPath {

        /** The literal in canonical bracketed form: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
        public String literal() {
            return ip instanceof Inet6Address ? "[IPv6:" + IpAddresses.toText(ip) + "]" : "[" + IpAddresses.toText(ip) + "]";
        }

        /** The address with the literal as its domain, for queueing and forwarding. */
        public MailAddress address() {
            return new MailAddress(localPart, literal());
        }
    }
}
