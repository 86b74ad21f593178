package org.mailwarden.imap.session;

import java.io.IOException;
import java.net.SocketException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.mailwarden.core.account.LoginGuard.Identity;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.net.IdleTimeoutException;
import org.mailwarden.imap.ImapSettings;
import org.mailwarden.imap.mailbox.ModifiedUtf7;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapLimits;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.response.ResponseWriter.Status;
import org.mailwarden.imap.response.ResponseWriter;
import org.mailwarden.imap.session.SelectedMailbox.MailboxGoneException;
import org.mailwarden.store.Mailboxes;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection as a state machine (RFC 9051 section 3): not authenticated, authenticated,
 * selected, logout. It reads each command's tag and name, checks that the command is valid in the
 * current state, and hands it to its {@link Command}; parse errors become tagged BAD (and the rest of the
 * command is skipped so the session stays in step), refusals tagged NO with a response code, and store
 * failures tagged NO without ending the session. Untagged updates about the selected mailbox are sent
 * before each tagged completion, where the RFC allows them.
 */
public final class ImapSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    /** The RFC 9051 connection states. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private static final Map<String, Command> COMMANDS = Commands.table();

    private final ImapContext context;
    private final Connection connection;
    private final ImapSettings settings;
    private final ResponseWriter out;
    private final CommandReader reader;
    private State state = State.NOT_AUTHENTICATED;
    private Identity identity;
    private SelectedMailbox selected;
    private boolean rev2;
    private boolean utf8;
    private boolean condstore;
    private boolean qresync;
    private NumberSet savedUids = NumberSet.EMPTY;
    private int authFailures;
    private int badCommands;

    public ImapSession(ImapContext context, Connection connection) {
        this.context = context;
        this.connection = connection;
        this.settings = context.settings().get();
        this.out = new ResponseWriter(connection.output());
        ImapLimits limits = ImapLimits.defaults(settings.appendLimit());
        connection.reader().setMaxLineLength(limits.maxLineLength());
        this.reader = new CommandReader(connection.reader(), limits, () -> {
            out.continuation("Ready for literal data");
            out.flush();
        });
    }

    /** Runs the session until LOGOUT, the client leaving, a timeout or a fatal error. */
    public void run() throws IOException {
        try {
            connection.setIdleTimeout(settings.loginTimeout());
            out.untaggedStatus(Status.OK, "CAPABILITY " + Capabilities.of(this), context.hostname() + " IMAP4rev2 ready");
            out.flush();
            while (state != State.LOGOUT) {
                if (connection.isDraining()) {
                    bye("Server shutting down");
                    return;
                }
                if (!next()) {
                    return;
                }
                // answers to pipelined commands go out together, once the client's input is used up
                if (connection.reader().buffered() == 0) {
                    out.flush();
                }
            }
        } catch (IdleTimeoutException e) {
            LOG.info("imap autologout: idle for more than {}", connection.idleTimeout());
            bye("Autologout; idle for too long");
        } catch (SSLException | SocketException | java.io.EOFException e) {
            LOG.debug("imap connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            // a bug: tell the client instead of dropping it silently; the listener logs the stack trace
            bye("Internal server error");
            throw e;
        }
    }

    /** Reads and runs one command; false when the session is over. */
    private boolean next() throws IOException {
        CommandReader.Start start = reader.next();
        if (start == CommandReader.Start.EOF) {
            LOG.debug("imap client closed the connection in state {}", state);
            return false;
        }
        if (start == CommandReader.Start.TOO_LONG) {
            String tag = reader.tagOrNull();
            out.tagged(tag == null ? "*" : tag, Status.BAD, "TOOBIG",
                    "Command line too long (limit " + reader.limits().maxLineLength() + " octets)");
            return skipAfterError();
        }
        String tag = reader.tagOrNull();
        try {
            if (tag == null) {
                throw ImapParseException.bad("Missing or invalid command tag");
            }
            reader.tag();
            reader.sp();
            String name = reader.keyword();
            boolean uid = false;
            if (name.equals("UID")) {
                reader.sp();
                name = reader.keyword();
                uid = true;
                if (!Commands.UID_COMMANDS.contains(name)) {
                    throw ImapParseException.bad("UID " + name + " is not a command");
                }
            }
            Command command = COMMANDS.get(name);
            if (command == null) {
                throw ImapParseException.bad("Unknown command " + clip(name));
            }
            if (!command.states().contains(state)) {
                throw ImapParseException.bad(name + " " + whyNot(command));
            }
            command.run(this, tag, name, uid, reader);
            badCommands = 0;
            return state != State.LOGOUT;
        } catch (ImapParseException e) {
            if (e.fatal()) {
                bye(e.getMessage());
                return false;
            }
            out.tagged(tag == null ? "*" : tag, e.isNo() ? Status.NO : Status.BAD, e.code(), e.getMessage());
            return skipAfterError();
        } catch (CommandFailed e) {
            out.tagged(tag, e.status(), e.code(), e.getMessage());
            return true;
        } catch (MailboxGoneException e) {
            LOG.info("imap selected mailbox was deleted by another session; closing");
            bye("The selected mailbox was deleted");
            return false;
        } catch (StoreException e) {
            LOG.warn("imap {} failed in the store: {}", state, e.getMessage());
            out.tagged(tag, Status.NO, storeCode(e), storeText(e));
            return true;
        }
    }

    /** After a BAD: skips the rest of the command and counts the error. */
    private boolean skipAfterError() throws IOException {
        try {
            reader.skipCommand();
        } catch (ImapParseException fatal) {
            bye(fatal.getMessage());
            return false;
        }
        if (++badCommands >= settings.maxBadCommands()) {
            LOG.info("imap closing after {} malformed commands in a row", badCommands);
            bye("Too many invalid commands");
            return false;
        }
        return true;
    }

    private static String storeCode(StoreException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> "NONEXISTENT";
            case DUPLICATE -> "ALREADYEXISTS";
            case INVALID -> "CANNOT";
            case DISK_FULL -> "LIMIT";
            case UNAVAILABLE -> "UNAVAILABLE";
        };
    }

    private static String storeText(StoreException e) {
        return switch (e.kind()) {
            case DISK_FULL -> "Server storage is full; try again later";
            case UNAVAILABLE -> "Mail storage is unavailable; try again later";
            default -> e.getMessage();
        };
    }

    /** Why a command is refused in the current state, e.g. "needs a selected mailbox". */
    private String whyNot(Command command) {
        if (command.states().equals(States.NOT_AUTHENTICATED)) {
            return "is only valid before login";
        }
        if (state == State.NOT_AUTHENTICATED) {
            return "needs a login first";
        }
        return "needs a selected mailbox (SELECT or EXAMINE)";
    }

    private static String clip(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }

    void bye(String text) throws IOException {
        try {
            out.untaggedStatus(Status.BYE, null, text);
            out.flush();
        } catch (IOException e) {
            LOG.debug("imap could not send BYE: {}", e.toString());
        }
        state = State.LOGOUT;
    }

    // ---- what commands use ---------------------------------------------------------------------

    ImapContext context() {
        return context;
    }

    ImapSettings settings() {
        return settings;
    }

    Connection connection() {
        return connection;
    }

    ResponseWriter out() {
        return out;
    }

    Mailboxes mailboxes() {
        return context.store().mailboxes();
    }

    State state() {
        return state;
    }

    Identity identity() {
        return identity;
    }

    /** The selected mailbox; only called in the selected state. */
    SelectedMailbox selected() {
        return selected;
    }

    /** Whether LOGIN and AUTHENTICATE PLAIN may be used now: over TLS, or when plaintext is allowed. */
    boolean plaintextAllowed() {
        return connection.isTls() || settings.allowPlaintext();
    }

    boolean tlsAvailable() {
        return context.tls() != null && !connection.isTls();
    }

    void loggedIn(Identity who) throws IOException {
        identity = who;
        state = State.AUTHENTICATED;
        connection.setIdleTimeout(settings.idleTimeout());
        LOG.info("imap login account={} tls={}", who.address(), connection.isTls());
    }

    /** Counts a failed login; true when the connection must now close. */
    boolean loginFailed() {
        return ++authFailures >= settings.maxAuthFailures();
    }

    void select(SelectedMailbox box) {
        selected = box;
        state = State.SELECTED;
        savedUids = NumberSet.EMPTY;
    }

    void deselect() {
        selected = null;
        state = State.AUTHENTICATED;
        savedUids = NumberSet.EMPTY;
    }

    void logout() {
        state = State.LOGOUT;
    }

    boolean rev2() {
        return rev2;
    }

    boolean utf8() {
        return utf8;
    }

    boolean condstore() {
        return condstore;
    }

    boolean qresync() {
        return qresync;
    }

    void enableRev2() {
        rev2 = true;
        enableUtf8();
    }

    void enableUtf8() {
        utf8 = true;
        out.enableUtf8();
    }

    /** RFC 7162: CONDSTORE is enabled by ENABLE or by the first command that uses it. */
    void enableCondstore() {
        condstore = true;
    }

    void enableQresync() {
        qresync = true;
        condstore = true;
    }

    /** The SEARCHRES result ({@code $}) as UIDs. */
    NumberSet savedUids() {
        return savedUids;
    }

    void saveUids(NumberSet uids) {
        savedUids = uids;
    }

    /** Sends pending mailbox updates, then {@code tag OK [code] text}. */
    void ok(String tag, String code, String text) throws IOException, MailboxGoneException {
        sync(true);
        out.tagged(tag, Status.OK, code, text);
    }

    /** Like {@link #ok} for FETCH, STORE and SEARCH by sequence number: no EXPUNGE may be sent. */
    void okWithoutExpunge(String tag, String code, String text) throws IOException, MailboxGoneException {
        sync(false);
        out.tagged(tag, Status.OK, code, text);
    }

    void sync(boolean allowExpunge) throws IOException, MailboxGoneException {
        if (state == State.SELECTED) {
            selected.sync(out, allowExpunge, condstore, qresync);
        }
    }

    /** A mailbox name from the client: modified UTF-7 unless UTF-8 was enabled, INBOX in any case. */
    String decodeMailbox(String raw) {
        String name = raw;
        if (!utf8 && raw.chars().allMatch(c -> c < 0x80)) {
            try {
                name = ModifiedUtf7.decode(raw);
            } catch (IllegalArgumentException e) {
                throw ImapParseException.bad("mailbox name is not valid modified UTF-7: " + e.getMessage());
            }
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? name : name.substring(0, slash);
        return first.toUpperCase(Locale.ROOT).equals("INBOX") ? "INBOX" + name.substring(first.length()) : name;
    }

    /** A LIST reference or pattern from the client: decoded like a name, wildcards kept. */
    String decodeMailboxPattern(String raw) {
        if (utf8 || !raw.chars().allMatch(c -> c < 0x80)) {
            return raw;
        }
        try {
            return ModifiedUtf7.decode(raw);
        } catch (IllegalArgumentException e) {
            throw ImapParseException.bad("mailbox pattern is not valid modified UTF-7: " + e.getMessage());
        }
    }

    /** A mailbox name for the client: UTF-8 when enabled, else modified UTF-7. */
    String encodeMailbox(String name) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }
}
