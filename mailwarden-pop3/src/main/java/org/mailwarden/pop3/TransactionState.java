package org.mailwarden.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.Mailboxes.MessageEntry;
import org.mailwarden.store.StoreException;

/**
 * The TRANSACTION state (RFC 1939 §5) over the session's {@link Maildrop} snapshot, with the maildrop
 * lock held: STAT, LIST, UIDL, RETR, TOP, DELE, NOOP, RSET, CAPA, and QUIT, which is the UPDATE state
 * (§6): only then are the marked messages expunged from the store, so IMAP and later sessions no longer
 * see them. A message that another client (IMAP) expunged after the snapshot is answered with
 * {@code -ERR} when its body is gone, never with a broken response.
 */
final class TransactionState implements SessionState {

    /** A message number: at most nine digits, so it always fits an int. */
    private static final int MAX_NUMBER_DIGITS = 9;
    /** A TOP line count: at most eighteen digits, so it always fits a long. */
    private static final int MAX_LINES_DIGITS = 18;

    private final Pop3Session session;
    private final Pop3Output out;
    private final Maildrop drop;
    private final MaildropLocks.Lease lease;

    TransactionState(Pop3Session session, Maildrop drop, MaildropLocks.Lease lease) {
        this.session = session;
        this.out = session.out();
        this.drop = drop;
        this.lease = lease;
    }

    @Override
    public SessionState handle(Command command) throws IOException {
        switch (command.verb()) {
            case CAPA -> capa();
            case STAT -> out.ok(drop.count() + " " + drop.octets());
            case LIST -> list(command);
            case UIDL -> uidl(command);
            case RETR -> retr(command.arg(0));
            case TOP -> top(command.arg(0), command.arg(1));
            case DELE -> dele(command.arg(0));
            case NOOP -> out.ok("");
            case RSET -> {
                drop.unmarkAll();
                out.ok("maildrop has " + drop.count() + " messages (" + drop.octets() + " octets)");
            }
            case QUIT -> {
                return update();
            }
            case STLS, USER, PASS, AUTH -> out.err(command.verb() + " is not valid after login (TRANSACTION state)");
        }
        return this;
    }

    @Override
    public void abandon() {
        session.stats().marked(drop.markedCount());
        lease.close();
    }

    private void capa() throws IOException {
        out.ok("capability list follows");
        out.line("TOP");
        out.line("UIDL");
        out.line("RESP-CODES");
        out.line("PIPELINING");
        out.line("IMPLEMENTATION mailwarden");
        out.end();
    }

    private void list(Command command) throws IOException {
        if (command.hasArgs()) {
            int n = message(command.arg(0));
            if (n > 0) {
                out.ok(n + " " + drop.entry(n).size());
            }
            return;
        }
        out.ok(drop.count() + " messages (" + drop.octets() + " octets)");
        for (int n = 1; n <= drop.size(); n++) {
            if (!drop.isDeleted(n)) {
                out.line(n + " " + drop.entry(n).size());
            }
        }
        out.end();
    }

    private void uidl(Command command) throws IOException {
        if (command.hasArgs()) {
            int n = message(command.arg(0));
            if (n > 0) {
                out.ok(n + " " + drop.uniqueId(n));
            }
            return;
        }
        out.ok("unique-id listing follows");
        for (int n = 1; n <= drop.size(); n++) {
            if (!drop.isDeleted(n)) {
                out.line(n + " " + drop.uniqueId(n));
            }
        }
        out.end();
    }

    private void retr(String arg) throws IOException {
        int n = message(arg);
        if (n == 0) {
            return;
        }
        MessageEntry entry = drop.entry(n);
        try (InputStream body = open(n)) {
            if (body == null) {
                return;
            }
            out.ok(entry.size() + " octets");
            MultilineBody.whole(body, out.stream(), entry.size());
        }
        session.stats().retrieved(entry.size());
    }

    private void top(String numberArg, String linesArg) throws IOException {
        int n = message(numberArg);
        if (n == 0) {
            return;
        }
        long lines = digits(linesArg, MAX_LINES_DIGITS);
        if (lines < 0) {
            out.err("the line count must be a non-negative number of at most " + MAX_LINES_DIGITS + " digits");
            return;
        }
        try (InputStream body = open(n)) {
            if (body == null) {
                return;
            }
            out.ok("top of message follows");
            MultilineBody.top(body, out.stream(), drop.entry(n).size(), lines);
        }
        session.stats().top();
    }

    private void dele(String arg) throws IOException {
        int n = message(arg);
        if (n > 0) {
            drop.markDeleted(n);
            out.ok("message " + n + " deleted");
        }
    }

    /** QUIT in TRANSACTION: the UPDATE state. */
    private SessionState update() throws IOException {
        List<Long> uids = drop.markedUids();
        session.stats().marked(uids.size());
        try (lease) {
            if (uids.isEmpty()) {
                out.ok(session.context().hostname() + " POP3 server signing off");
                return null;
            }
            if (!lease.confirm()) {
                Pop3Session.LOG.warn("{} pop3 lost the maildrop lock before QUIT; {} marked messages kept", session.who(),
                        uids.size());
                out.err(ResponseCode.SYS_TEMP, "some deleted messages not removed: the maildrop lock was lost");
                return null;
            }
            List<Long> removed;
            try {
                removed = session.context().store().mailboxes().expunge(drop.mailbox().id(), uids);
            } catch (StoreException e) {
                Pop3Session.LOG.warn("{} pop3 cannot expunge {} messages at QUIT: {}", session.who(), uids.size(),
                        e.toString());
                out.err(ResponseCode.SYS_TEMP, "some deleted messages not removed: the mail store is not available");
                return null;
            }
            session.stats().deleted(removed.size());
            out.ok(session.context().hostname() + " POP3 server signing off (" + uids.size() + " messages deleted, "
                    + drop.count() + " left)");
            return null;
        }
    }

    /**
     * Opens a message body, or answers {@code -ERR} and returns null when it can't be read: removed by
     * another client since login, or the store is unavailable.
     */
    private InputStream open(int n) throws IOException {
        Mailboxes mailboxes = session.context().store().mailboxes();
        try {
            return mailboxes.openBody(drop.entry(n));
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.NOT_FOUND) {
                out.err("message " + n + " is no longer available: another client removed it");
            } else {
                Pop3Session.LOG.warn("{} pop3 cannot read message uid={}: {}", session.who(), drop.entry(n).uid(),
                        e.toString());
                out.err(ResponseCode.SYS_TEMP, "message " + n + " cannot be read now; try again later");
            }
            return null;
        }
    }

    /**
     * The message a number argument names, or 0 after answering {@code -ERR}: not a number, out of range
     * or marked deleted.
     */
    private int message(String arg) throws IOException {
        long n = digits(arg, MAX_NUMBER_DIGITS);
        if (n < 0) {
            out.err("a message number is a positive number of at most " + MAX_NUMBER_DIGITS + " digits");
            return 0;
        }
        if (!drop.exists(n)) {
            out.err("no such message; the maildrop has " + drop.size() + " (numbers 1 to " + drop.size() + ")");
            return 0;
        }
        if (drop.isDeleted((int) n)) {
            out.err("message " + n + " is already deleted");
            return 0;
        }
        return (int) n;
    }

    /** A decimal number of at most {@code maxDigits} digits, or -1. */
    private static long digits(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
