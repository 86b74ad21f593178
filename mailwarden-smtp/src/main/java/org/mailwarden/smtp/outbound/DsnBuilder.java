package org.mailwarden.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.store.Queue.Notice;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;

/**
 * Writes a delivery status notification as RFC 3464 says: a {@code multipart/report} with
 * {@code report-type=delivery-status} holding a human-readable explanation, the machine-readable
 * {@code message/delivery-status} (per-message fields, then one group per recipient with Action, Status,
 * Remote-MTA and Diagnostic-Code) and the returned message — its headers ({@code text/rfc822-headers}), or
 * all of it ({@code message/rfc822}) when the sender asked with RET=FULL. Addresses with UTF-8 turn the
 * report into {@code message/global-delivery-status} (RFC 6533). Lines end in CR LF.
 */
final class DsnBuilder {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Pattern REPLY = Pattern.compile("(\\d{3})(?: ([245]\\.\\d{1,3}\\.\\d{1,3}))?\\b.*");
    private static final Pattern OWN = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3}) .*");

    private DsnBuilder() {
    }

    /**
     * What to report.
     *
     * @param reportingMta this server's host name
     * @param to           the address the notice goes to
     * @param original     the message reported on, with only the recipients to report
     * @param returned     the returned part: the original's header section, or the whole message
     * @param returnedFull whether {@code returned} is the whole message
     * @param retryUntil   when delivery of delayed recipients is given up
     */
    record Report(String reportingMta, String to, QueuedMessage original, byte[] returned, boolean returnedFull,
                  Instant now, Instant retryUntil) {
    }

    static byte[] build(Report report) {
        QueuedMessage m = report.original();
        List<QueuedRecipient> rcpts = m.recipients();
        boolean failed = rcpts.stream().anyMatch(r -> r.noticeDue() == Notice.FAILED);
        boolean delayed = rcpts.stream().anyMatch(r -> r.noticeDue() == Notice.DELAYED);
        boolean utf8 = !ascii(report.to()) || rcpts.stream().anyMatch(r -> !ascii(r.address())
                || r.orcpt() != null && !ascii(r.orcpt()));
        String boundary = "=_mailwarden_" + HexFormat.of().formatHex(randomBytes()) + "_=";
        String subject = m.notice() ? "Undeliverable delivery status notification"
                : failed ? "Undelivered Mail Returned to Sender"
                : delayed ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report";

        Lines out = new Lines();
        out.line("From: Mail Delivery System <MAILER-DAEMON@" + report.reportingMta() + ">");
        out.line("To: <" + report.to() + ">");
        out.line("Subject: " + subject);
        out.line("Date: " + DATE.format(report.now()));
        out.line("Message-ID: <" + m.queueId() + "." + report.now().toEpochMilli() + ".dsn@" + report.reportingMta() + ">");
        out.line("Auto-Submitted: auto-replied");
        out.line("MIME-Version: 1.0");
        out.line("Content-Type: multipart/report; report-type=delivery-status;");
        out.line("\tboundary=\"" + boundary + "\"");
        out.line("");
        out.line("This is a MIME-encapsulated message.");
        out.line("");

        out.line("--" + boundary);
        out.line("Content-Type: text/plain; charset=" + (utf8 ? "utf-8" : "us-ascii"));
        out.line("Content-Description: Notification");
        if (utf8) {
            out.line("Content-Transfer-Encoding: 8bit");
        }
        out.line("");
        explain(out, report, failed, delayed);
        out.line("");

        out.line("--" + boundary);
        out.line("Content-Type: message/" + (utf8 ? "global-" : "") + "delivery-status");
        out.line("Content-Description: Delivery report");
        if (utf8) {
            out.line("Content-Transfer-Encoding: 8bit");
        }
        out.line("");
        out.line("Reporting-MTA: dns; " + report.reportingMta());
        out.line("X-Mailwarden-Queue-ID: " + m.queueId());
        if (m.envid() != null && !m.envid().isBlank()) {
            out.line("Original-Envelope-Id: " + Text.printable(m.envid(), 100));
        }
        out.line("Arrival-Date: " + DATE.format(m.created()));
        for (QueuedRecipient r : rcpts) {
            out.line("");
            recipientFields(out, r, report.retryUntil(), utf8);
        }
        out.line("");

        out.line("--" + boundary);
        boolean eightBit = !ascii(report.returned());
        if (report.returnedFull()) {
            out.line("Content-Type: message/rfc822");
            out.line("Content-Description: Undelivered Message");
        } else {
            out.line("Content-Type: " + (eightBit ? "message/global-headers" : "text/rfc822-headers"));
            out.line("Content-Description: Undelivered Message Headers");
        }
        if (eightBit) {
            out.line("Content-Transfer-Encoding: 8bit");
        }
        out.line("");
        out.raw(report.returned());
        if (!endsWithLineBreak(report.returned())) {
            out.line("");
        }
        out.line("");
        out.line("--" + boundary + "--");
        return out.bytes();
    }

    private static void explain(Lines out, Report report, boolean failed, boolean delayed) {
        QueuedMessage m = report.original();
        out.line("This is the mail system at " + report.reportingMta() + ".");
        out.line("");
        if (m.notice()) {
            out.line("A delivery status notification (queue id " + m.queueId() + ") could not be delivered.");
            out.line("It is attached; no further notification is sent about it.");
            out.line("");
        } else if (failed) {
            out.line("Your message (queue id " + m.queueId() + ", received " + DATE.format(m.created()) + ")");
            out.line("could not be delivered to one or more recipients. It is returned to you with");
            out.line("the reasons below.");
            out.line("");
        } else if (delayed) {
            out.line("Your message (queue id " + m.queueId() + ", received " + DATE.format(m.created()) + ")");
            out.line("has not been delivered yet to one or more recipients. Delivery will be");
            out.line("tried until " + DATE.format(report.retryUntil()) + "; you need not send it again.");
            out.line("");
        } else {
            out.line("Your message (queue id " + m.queueId() + ") was passed on to a server that does");
            out.line("not report delivery status, as you asked to be told on success.");
            out.line("");
        }
        for (QueuedRecipient r : m.recipients()) {
            String what = switch (r.noticeDue()) {
                case FAILED -> "failed";
                case DELAYED -> "delayed";
                case RELAYED -> "relayed";
                case null -> "reported";
            };
            out.line("<" + r.address() + ">: " + what + (r.remoteMta() == null ? "" : " (" + r.remoteMta() + ")"));
            if (r.lastReply() != null) {
                out.line("    " + r.lastReply());
            }
        }
    }

    private static void recipientFields(Lines out, QueuedRecipient r, Instant retryUntil, boolean utf8) {
        if (r.orcpt() != null && r.orcpt().indexOf(';') > 0) {
            out.line("Original-Recipient: " + Text.printable(r.orcpt(), 600));
        }
        out.line("Final-Recipient: " + (utf8 && !ascii(r.address()) ? "utf-8; " : "rfc822; ") + r.address());
        Notice notice = r.noticeDue() == null ? Notice.FAILED : r.noticeDue();
        out.line("Action: " + notice.name().toLowerCase(Locale.ROOT));
        out.line("Status: " + status(r, notice));
        if (r.remoteMta() != null) {
            int bracket = r.remoteMta().indexOf('[');
            out.line("Remote-MTA: dns; " + (bracket > 0 ? r.remoteMta().substring(0, bracket) : r.remoteMta()));
        }
        if (r.lastReply() != null) {
            boolean fromServer = r.remoteMta() != null && REPLY.matcher(r.lastReply()).matches();
            out.line("Diagnostic-Code: " + (fromServer ? "smtp; " : "X-mailwarden; ") + r.lastReply());
        }
        if (r.lastAttempt() != null) {
            out.line("Last-Attempt-Date: " + DATE.format(r.lastAttempt()));
        }
        if (notice == Notice.DELAYED) {
            out.line("Will-Retry-Until: " + DATE.format(retryUntil));
        }
    }

    /**
     * The RFC 3463 status of a recipient: the enhanced code of its last reply (or the reply class's generic
     * one); a failure after temporary errors is a delivery that expired, 4.4.7.
     */
    static String status(QueuedRecipient r, Notice notice) {
        if (notice == Notice.RELAYED) {
            return "2.0.0";
        }
        String reply = r.lastReply() == null ? "" : r.lastReply();
        String status = null;
        Matcher own = OWN.matcher(reply);
        Matcher server = REPLY.matcher(reply);
        if (own.matches()) {
            status = own.group(1);
        } else if (server.matches()) {
            int code = Integer.parseInt(server.group(1));
            status = server.group(2) != null && server.group(2).charAt(0) - '0' == code / 100 ? server.group(2)
                    : code / 100 == 5 ? "5.0.0" : "4.0.0";
        }
        if (notice == Notice.FAILED) {
            return status == null || status.startsWith("4") ? "4.4.7" : status;
        }
        return status == null || !status.startsWith("4") ? "4.0.0" : status;
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWithLineBreak(byte[] bytes) {
        return bytes.length == 0 || bytes[bytes.length - 1] == '\n';
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** CRLF-terminated UTF-8 lines into a byte buffer. */
    private static final class Lines {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

        void line(String s) {
            buffer.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            buffer.write('\r');
            buffer.write('\n');
        }

        void raw(byte[] bytes) {
            buffer.writeBytes(bytes);
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }
    }
}
