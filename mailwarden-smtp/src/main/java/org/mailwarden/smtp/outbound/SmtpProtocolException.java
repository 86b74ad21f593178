package org.mailwarden.smtp.outbound;

import java.io.IOException;

/**
 * The next hop broke the protocol: a reply that is not a reply, a closed connection where a reply was due,
 * a multi-line reply without end. Delivery treats it as a temporary failure of that host.
 */
public class SmtpProtocolException extends IOException {

    public SmtpProtocolException(String message) {
        super(message);
    }
}
