package org.mailwarden.smtp.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailwarden.core.net.Connection;

/**
 * Builds the trace headers mailwarden adds: the Received header (RFC 5321 §4.4) with the protocol
 * keyword of RFC 3848 / RFC 6531 (ESMTP, ESMTPS, ESMTPA, ESMTPSA, UTF8SMTP...), the TLS version and
 * cipher, and the queue id; and the Return-Path added at local delivery. The recipient appears only for
 * a single-recipient message, so a Received header never discloses the other (perhaps Bcc) recipients.
 */
public final class TraceHeaders {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private TraceHeaders() {
    }

    /** What the Received header records about one transaction. */
    public record Hop(String helo, boolean ehlo, InetAddress client, String hostname, Connection.TlsInfo tls, boolean authenticated,
                      boolean smtputf8, String queueId, String singleRecipient, ZonedDateTime time) {
    }

    /** The {@code with} keyword: RFC 3848 for ESMTP, RFC 6531 §3.7.4 for SMTPUTF8 sessions. */
    static String protocol(boolean ehlo, boolean smtputf8, boolean tls, boolean authenticated) {
        if (!ehlo) {
            return "SMTP";
        }
        return (smtputf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /** The Received header, folded, ending in CRLF. */
    public static String received(Hop hop) {
        StringBuilder b = new StringBuilder(256);
        b.append("Received: from ").append(token(hop.helo())).append(" (").append(literal(hop.client())).append(")\r\n");
        if (hop.tls() != null) {
            b.append("\t(using ").append(hop.tls().protocol()).append(" with cipher ").append(hop.tls().cipherSuite())
                    .append(")\r\n");
        }
        b.append("\tby ").append(hop.hostname()).append(" (mailwarden) with ")
                .append(protocol(hop.ehlo(), hop.smtputf8(), hop.tls() != null, hop.authenticated()))
                .append(" id ").append(hop.queueId());
        if (hop.singleRecipient() != null) {
            b.append("\r\n\tfor <").append(hop.singleRecipient()).append('>');
        }
        b.append(";\r\n\t").append(DATE.format(hop.time())).append("\r\n");
        return b.toString();
    }

    /** {@code Return-Path: <sender>}, ending in CRLF; the null sender gives {@code <>}. */
    public static String returnPath(String sender) {
        return "Return-Path: <" + sender + ">\r\n";
    }

    static byte[] bytes(String header) {
        return header.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The client's HELO name as one token: it came from the client, so anything but the characters of
     * host names and address literals becomes {@code _}, and a HELO can never add a clause or a comment
     * (a {@code ;} would end the header's token list).
     */
    static String token(String helo) {
        StringBuilder b = new StringBuilder(helo.length());
        for (int i = 0; i < helo.length(); i++) {
            char c = helo.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".-_:[]".indexOf(c) >= 0;
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /** The address literal of RFC 5321 §4.1.3: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    static String literal(InetAddress address) {
        String a = address.getHostAddress();
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        return address instanceof Inet6Address ? "[IPv6:" + a + "]" : "[" + a + "]";
    }
}
