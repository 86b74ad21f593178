package org.mailwarden.smtp.outbound;

import java.util.List;

/**
 * What one SMTP transaction sends: the reverse-path ({@code ""} for the null sender) and forward-paths in
 * SMTP form, the RFC 3461 DSN parameters to pass on, and what the body needs from the server: its size,
 * 8-bit content (8BITMIME) and UTF-8 in addresses or headers (SMTPUTF8).
 */
public record Envelope(String sender, List<Recipient> recipients, String envid, String ret, long size,
                       boolean eightBit, boolean utf8) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs a recipient");
        }
    }

    /** A recipient with its queue id, NOTIFY list ({@code "FAILURE,DELAY"}) and ORCPT ({@code type;xtext}). */
    public record Recipient(long id, String address, String notifyOn, String orcpt) {
    }
}
