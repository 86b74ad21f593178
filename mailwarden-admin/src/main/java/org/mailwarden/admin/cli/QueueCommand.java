package org.mailwarden.admin.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.mailwarden.admin.AdminException;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Queue.QueuedRecipient;
import org.mailwarden.store.Queue.RecipientState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailwarden queue list|show|retry|delete}: the outbound queue, like Postfix's {@code postqueue -p}
 * and {@code postsuper -d}. Changes go through the store, so a running server sees them at its next round.
 */
@Command(name = "queue", description = "Show and manage the outbound queue (mail waiting for foreign recipients).")
final class QueueCommand extends AdminGroup {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int MAX_SHOWN_HEADERS = 16 * 1024;

    QueueCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "list", description = "List the queued messages with the state of each recipient.")
    int list(@Mixin ConfigOption config) {
        List<QueuedMessage> queue = admin(config, s -> s.queue());
        if (queue.isEmpty()) {
            out().println("the mail queue is empty");
            return 0;
        }
        Table table = new Table();
        table.row("QUEUE ID", "SIZE", "ARRIVED", "SENDER");
        int waiting = 0;
        for (QueuedMessage m : queue) {
            table.row(m.queueId() + (m.notice() ? " (notice)" : ""), Long.toString(m.size()), TIME.format(m.created()),
                    "<" + m.sender() + ">");
            for (QueuedRecipient r : m.recipients()) {
                table.row("  " + r.address(), state(r), when(r), r.lastReply() == null ? "" : r.lastReply());
                waiting += r.finished() ? 0 : 1;
            }
        }
        table.print(out());
        out().println("-- " + queue.size() + (queue.size() == 1 ? " message, " : " messages, ") + waiting
                + (waiting == 1 ? " recipient" : " recipients") + " waiting");
        return 0;
    }

    @Command(name = "show", description = "Show one queued message: envelope, recipients and headers.")
    int show(@Mixin ConfigOption config, @Parameters(paramLabel = "ID", description = "The queue id.") String id) {
        byte[][] headers = new byte[1][];
        QueuedMessage m = admin(config, s -> {
            QueuedMessage entry = s.queueEntry(id);
            headers[0] = s.queuedHeaders(entry, MAX_SHOWN_HEADERS);
            return entry;
        });
        Table envelope = new Table();
        envelope.row("queue id:", m.queueId() + (m.notice() ? " (a delivery status notice from this server)" : ""));
        envelope.row("sender:", "<" + m.sender() + ">" + (m.notifyAllowed() ? " (gets delivery status notices)" : ""));
        envelope.row("arrived:", TIME.format(m.created()));
        envelope.row("size:", m.size() + " octets");
        if (m.envid() != null || m.ret() != null) {
            envelope.row("dsn:", "envid=" + (m.envid() == null ? "-" : m.envid()) + " ret=" + (m.ret() == null ? "-" : m.ret()));
        }
        envelope.print(out());
        for (QueuedRecipient r : m.recipients()) {
            out().println();
            Table t = new Table();
            t.row("recipient:", r.address() + (r.orcpt() == null ? "" : " (original " + r.orcpt() + ")"));
            t.row("state:", state(r) + ", " + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts")
                    + (r.dsnNotify() == null ? "" : ", notify " + r.dsnNotify()));
            if (!r.finished()) {
                t.row("next attempt:", TIME.format(r.nextAttempt()));
            }
            if (r.lastAttempt() != null) {
                t.row("last attempt:", TIME.format(r.lastAttempt()) + (r.remoteMta() == null ? "" : " at " + r.remoteMta()));
            }
            if (r.lastReply() != null) {
                t.row("last reply:", r.lastReply());
            }
            if (r.noticeDue() != null) {
                t.row("notice due:", r.noticeDue().name().toLowerCase(Locale.ROOT));
            }
            t.print(out());
        }
        out().println();
        for (String line : new String(headers[0], StandardCharsets.UTF_8).split("\r\n|\n")) {
            out().println(printable(line));
        }
        return 0;
    }

    @Command(name = "retry", description = "Try the waiting recipients of a message (or of all, with --all) now.")
    int retry(@Mixin ConfigOption config,
              @Option(names = "--all", description = "Every message in the queue.") boolean all,
              @Parameters(arity = "0..1", paramLabel = "ID", description = "The queue id.") String id) {
        if (all == (id != null)) {
            throw AdminException.usage("give a queue id or --all, such as: mailwarden queue retry --all");
        }
        if (all) {
            int n = admin(config, s -> s.retryAllQueued());
            out().println(n + (n == 1 ? " recipient is" : " recipients are") + " due for delivery now");
        } else {
            QueuedMessage m = admin(config, s -> s.retryQueued(id));
            long n = m.recipients().stream().filter(r -> !r.finished()).count();
            out().println(m.queueId() + ": " + n + (n == 1 ? " recipient is" : " recipients are") + " due for delivery now");
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a queued message without delivering it; nobody is notified.")
    int delete(@Mixin ConfigOption config, @Parameters(paramLabel = "ID", description = "The queue id.") String id) {
        QueuedMessage m = admin(config, s -> s.deleteQueued(id));
        long n = m.recipients().stream().filter(r -> !r.finished()).count();
        out().println("deleted " + m.queueId() + " (" + n + (n == 1 ? " recipient" : " recipients") + " not delivered)");
        return 0;
    }

    private static String state(QueuedRecipient r) {
        return r.state() == RecipientState.PENDING && r.attempts() == 0 ? "waiting" : r.state().name().toLowerCase(Locale.ROOT);
    }

    private static String when(QueuedRecipient r) {
        if (r.finished()) {
            return r.lastAttempt() == null ? "" : TIME.format(r.lastAttempt());
        }
        Instant next = r.nextAttempt();
        return "next " + TIME.format(next);
    }

    /** Header lines come from the network: control characters are shown escaped, never sent to the terminal. */
    private static String printable(String line) {
        StringBuilder b = new StringBuilder(line.length());
        line.codePoints().forEach(c -> {
            if (c == '\t' || !Character.isISOControl(c)) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        });
        return b.toString();
    }
}
