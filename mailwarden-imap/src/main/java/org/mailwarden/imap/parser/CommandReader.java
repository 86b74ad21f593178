package org.mailwarden.imap.parser;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.mailwarden.core.net.Line;
import org.mailwarden.core.net.LineReader;

/**
 * Reads IMAP commands from a connection, token by token, the way Dovecot's imap-parser does: the
 * command code pulls atoms, strings, lists, numbers and sequence sets in the order its grammar wants
 * them, and a literal ({@code {n}}, {@code {n+}}, {@code ~{n}}) is read only when the parser reaches it,
 * so a synchronising literal is asked for ({@code + Ready}) only once everything before it was valid.
 * String literals are bounded and held in memory; message literals (APPEND) are streamed by the caller.
 *
 * <p>Every violation of the grammar or of the {@link ImapLimits} throws {@link ImapParseException}; the
 * session answers it and calls {@link #skipCommand()}, which discards the rest of the command, including
 * the non-synchronising literals the client has already sent, so the next command starts in step.
 * Not thread-safe: one reader belongs to one session.
 */
public final class CommandReader {

    /** Sends the command continuation request that a synchronising literal waits for. */
    @FunctionalInterface
    public interface Continuation {
        void requestLiteral() throws IOException;
    }

    /** A literal announced at the end of a line: its size, and whether the client waits for "+". */
    public record Literal(long size, boolean synchronizing, boolean binary) {
    }

    /** How a command's first line came in. */
    public enum Start {
        /** A line to parse. */
        COMMAND,
        /** The line was longer than the limit; only its beginning is available (for the tag). */
        TOO_LONG,
        /** The client closed the connection (an unterminated last line is never executed). */
        EOF
    }

    private final LineReader lines;
    private final ImapLimits limits;
    private final Continuation continuation;
    private byte[] line = new byte[0];
    private int pos;
    private long commandBytes;
    private int tokens;
    private int depth;
    private boolean restOfLineUnread;

    public CommandReader(LineReader lines, ImapLimits limits, Continuation continuation) {
        this.lines = lines;
        this.limits = limits;
        this.continuation = continuation;
    }

    public ImapLimits limits() {
        return limits;
    }

    /** Reads the first line of the next command. */
    public Start next() throws IOException {
        commandBytes = 0;
        tokens = 0;
        depth = 0;
        restOfLineUnread = false;
        Line l = lines.readLine();
        if (l.isEof()) {
            line = new byte[0];
            pos = 0;
            return Start.EOF;
        }
        take(l);
        return restOfLineUnread ? Start.TOO_LONG : Start.COMMAND;
    }

    private void take(Line l) {
        line = l.bytes();
        pos = 0;
        commandBytes += line.length + 2;
        restOfLineUnread = l.ending() == Line.Ending.TOO_LONG;
    }

    /** Reads the line that continues a command after a literal. */
    private void continuationLine() throws IOException {
        Line l = lines.readLine();
        if (l.isEof()) {
            throw new EOFException("the client closed the connection inside a command");
        }
        take(l);
        if (restOfLineUnread) {
            throw ImapParseException.bad("TOOBIG", "command line too long (limit " + limits.maxLineLength() + " octets)");
        }
        checkCommandSize();
    }

    private void checkCommandSize() {
        if (commandBytes > limits.maxCommandBytes()) {
            throw ImapParseException.bad("TOOBIG", "command too long (limit " + limits.maxCommandBytes() + " octets)");
        }
    }

    /**
     * Discards what is left of the current command after an error: the rest of an over-long line, and
     * every non-synchronising literal (with the line after it) that the client sent without waiting. A
     * synchronising literal that was not accepted is never sent by the client, so nothing follows it.
     *
     * @throws ImapParseException (fatal) when the rest cannot be skipped within the bounds
     */
    public void skipCommand() throws IOException {
        while (true) {
            if (restOfLineUnread) {
                restOfLineUnread = false;
                if (!lines.skipRestOfLine()) {
                    throw ImapParseException.fatal("command line far too long");
                }
                line = new byte[0];
                pos = 0;
                return;
            }
            Literal tail = tailLiteral(line);
            line = new byte[0];
            pos = 0;
            if (tail == null || tail.synchronizing()) {
                return;
            }
            if (tail.size() > limits.maxDiscard()) {
                throw ImapParseException.fatal("non-synchronising literal of " + tail.size() + " octets is too large");
            }
            lines.readExactly(tail.size(), OutputStream.nullOutputStream());
            Line l = lines.readLine();
            if (l.isEof()) {
                return;
            }
            line = l.bytes();
            restOfLineUnread = l.ending() == Line.Ending.TOO_LONG;
        }
    }

    /** The literal announced at the very end of {@code bytes}, or null. */
    static Literal tailLiteral(byte[] bytes) {
        int end = bytes.length - 1;
        if (end < 2 || bytes[end] != '}') {
            return null;
        }
        int i = end - 1;
        boolean plus = bytes[i] == '+';
        if (plus) {
            i--;
        }
        int digitsEnd = i;
        while (i >= 0 && bytes[i] >= '0' && bytes[i] <= '9') {
            i--;
        }
        int digits = digitsEnd - i;
        if (digits < 1 || digits > 18 || i < 0 || bytes[i] != '{') {
            return null;
        }
        long size = Long.parseLong(new String(bytes, i + 1, digits, StandardCharsets.US_ASCII));
        return new Literal(size, !plus, i > 0 && bytes[i - 1] == '~');
    }

    // ---- position ----------------------------------------------------------------------------------

    /** Whether the command has nothing more (no literal can follow: it would have been read as a token). */
    public boolean atEnd() {
        return pos >= line.length;
    }

    /** The next byte, or -1 at the end of the line. */
    public int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    /** Consumes {@code c} when it comes next. */
    public boolean take(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code c} or fails, naming {@code what} was expected. */
    public void expect(char c, String what) {
        if (!take(c)) {
            throw unexpected(what);
        }
    }

    /** Exactly one space. */
    public void sp() {
        expect(' ', "a space");
    }

    /** The command must end here. */
    public void end() {
        if (!atEnd()) {
            take(' ');
            throw ImapParseException.bad("unexpected text at the end of the command: '" + rest() + "'");
        }
    }

    /** Up to 30 characters from the current position, for error messages. */
    private String rest() {
        int n = Math.min(30, line.length - pos);
        StringBuilder out = new StringBuilder();
        for (int i = pos; i < pos + n; i++) {
            int c = line[i] & 0xff;
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return line.length - pos > n ? out + "..." : out.toString();
    }

    private ImapParseException unexpected(String what) {
        return ImapParseException.bad(atEnd() ? "expected " + what + " but the command ended"
                : "expected " + what + " at '" + rest() + "'");
    }

    private void token() {
        if (++tokens > limits.maxTokens()) {
            throw ImapParseException.bad("TOOBIG", "too many arguments (limit " + limits.maxTokens() + ")");
        }
    }

    /** Opens a parenthesised list, counting its depth against the limit. */
    public void openList() {
        expect('(', "'('");
        token();
        if (++depth > limits.maxListDepth()) {
            throw ImapParseException.bad("lists nested too deeply (limit " + limits.maxListDepth() + ")");
        }
    }

    public void closeList() {
        expect(')', "')'");
        depth--;
    }

    // ---- character classes (RFC 9051 section 9) ------------------------------------------------------

    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"'
                && c != '\\' && c != ']';
    }

    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    static boolean isListChar(int c) {
        return isAtomChar(c) || c == '%' || c == '*' || c == ']';
    }

    private interface CharClass {
        boolean accepts(int c);
    }

    private String run(CharClass accepts, String what) {
        int start = pos;
        while (pos < line.length && accepts.accepts(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw unexpected(what);
        }
        token();
        return new String(line, start, pos - start, StandardCharsets.US_ASCII);
    }

    // ---- tokens ------------------------------------------------------------------------------------

    /** The command tag: ASTRING-CHARs except '+'. */
    public String tag() {
        return run(c -> isAstringChar(c) && c != '+', "a command tag");
    }

    /** An atom, e.g. a command name or a FETCH item name (as written; callers compare case-insensitively). */
    public String atom() {
        return run(CommandReader::isAtomChar, "an atom");
    }

    /**
     * Atom characters up to (not including) any of {@code stops}, e.g. a FETCH item name before its
     * {@code [section]}; upper case.
     */
    public String keywordUntil(String stops) {
        return run(c -> isAtomChar(c) && stops.indexOf(c) < 0, "an atom").toUpperCase(Locale.ROOT);
    }

    /** An atom in upper case, for keywords. */
    public String keyword() {
        return atom().toUpperCase(Locale.ROOT);
    }

    /** Like {@link #tag()} on a line that may be malformed: the tag or null, never an exception. */
    public String tagOrNull() {
        int start = pos;
        while (pos < line.length && isAstringChar(line[pos] & 0xff) && line[pos] != '+') {
            pos++;
        }
        boolean ok = pos > start && (pos == line.length || line[pos] == ' ');
        String tag = ok ? new String(line, start, pos - start, StandardCharsets.US_ASCII) : null;
        pos = start;
        return tag;
    }

    /** An astring: atom-like text (which may contain ']'), a quoted string or a literal. */
    public String astring() throws IOException {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return string();
        }
        return run(CommandReader::isAstringChar, "a string");
    }

    /** A quoted string or a literal, decoded as UTF-8. */
    public String string() throws IOException {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /** A quoted string or a literal, as octets. */
    public byte[] stringBytes() throws IOException {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || c == '~') {
            return smallLiteral(literal());
        }
        throw unexpected("a quoted string or a literal");
    }

    /** A string, or NIL (returned as null). */
    public String nstring() throws IOException {
        if (peekWord("NIL")) {
            pos += 3;
            token();
            return null;
        }
        return string();
    }

    /** Whether {@code word} comes next as a whole atom (case-insensitive). */
    public boolean peekWord(String word) {
        if (line.length - pos < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toUpperCase(line[pos + i]) != word.charAt(i)) {
                return false;
            }
        }
        int after = pos + word.length();
        return after == line.length || !isAtomChar(line[after] & 0xff);
    }

    /** A LIST pattern: list-chars (which include the wildcards) or a string. */
    public String listMailbox() throws IOException {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return string();
        }
        return run(CommandReader::isListChar, "a mailbox pattern");
    }

    private byte[] quoted() {
        expect('"', "'\"'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (pos >= line.length) {
                throw ImapParseException.bad("unterminated quoted string");
            }
            int c = line[pos++] & 0xff;
            if (c == '"') {
                token();
                return out.toByteArray();
            }
            if (c == '\\') {
                int next = pos < line.length ? line[pos++] & 0xff : -1;
                if (next != '"' && next != '\\') {
                    throw ImapParseException.bad("invalid escape in quoted string (only \\\" and \\\\ are allowed)");
                }
                out.write(next);
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw ImapParseException.bad("quoted string contains CR, LF or NUL; send a literal instead");
            } else {
                out.write(c);
            }
        }
    }

    /** Whether a literal comes next. */
    public boolean peekLiteral() {
        return peek() == '{' || (peek() == '~' && pos + 1 < line.length && line[pos + 1] == '{');
    }

    /**
     * Parses a literal announcement, which must end the line; the octets are read afterwards with
     * {@link #readLiteral} (or skipped by {@link #skipCommand()}).
     */
    public Literal literal() {
        Literal tail = tailLiteral(line);
        int start = pos;
        boolean binary = take('~');
        if (!take('{')) {
            pos = start;
            throw unexpected("a literal {n}");
        }
        if (tail == null || binary != tail.binary()) {
            pos = start;
            throw ImapParseException.bad("a literal must end its line, with its size in plain digits (at '" + rest() + "')");
        }
        int digits = Long.toString(tail.size()).length();
        int expectedEnd = start + (binary ? 1 : 0) + 1 + digits + (tail.synchronizing() ? 0 : 1) + 1;
        if (expectedEnd != line.length) {
            pos = start;
            throw ImapParseException.bad("a literal must end its line, with its size in plain digits");
        }
        pos = line.length;
        token();
        return tail;
    }

    /**
     * Reads a literal's octets into {@code out} (asking for them first when synchronising), then the line
     * that continues the command. The caller has checked the size against its own limit.
     */
    public void readLiteral(Literal literal, OutputStream out) throws IOException {
        if (literal.synchronizing()) {
            continuation.requestLiteral();
        }
        lines.readExactly(literal.size(), out);
        // The literal is consumed: an error from here on must not skip it again.
        line = new byte[0];
        continuationLine();
    }

    private byte[] smallLiteral(Literal literal) throws IOException {
        if (literal.size() > limits.maxStringLiteral()) {
            throw ImapParseException.no("TOOBIG", "string literal of " + literal.size() + " octets is too long (limit "
                    + limits.maxStringLiteral() + ")");
        }
        commandBytes += literal.size();
        checkCommandSize();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) literal.size());
        readLiteral(literal, out);
        return out.toByteArray();
    }

    // ---- numbers, sets, flags, dates ---------------------------------------------------------------

    /** A number from 0 to 4294967295. */
    public long number() {
        return numberUpTo(0xFFFF_FFFFL, "a number");
    }

    /** A number from 1 to 4294967295. */
    public long nzNumber() {
        long n = number();
        if (n == 0) {
            throw ImapParseException.bad("expected a non-zero number");
        }
        return n;
    }

    /** A 63-bit number (MODSEQ). */
    public long number64() {
        return numberUpTo(Long.MAX_VALUE, "a number");
    }

    private long numberUpTo(long max, String what) {
        String digits = run(c -> c >= '0' && c <= '9', what);
        if (digits.length() > 19) {
            throw ImapParseException.bad("number " + digits.substring(0, 20) + "... is out of range");
        }
        long n = Long.parseLong(digits);
        if (n > max) {
            throw ImapParseException.bad("number " + digits + " is out of range");
        }
        return n;
    }

    /** A sequence set ({@code 1:5,7,9:*}) or {@code $}. */
    public SequenceSet sequenceSet() {
        return SequenceSet.parse(run(c -> (c >= '0' && c <= '9') || c == ':' || c == ',' || c == '*' || c == '$',
                "a sequence set"));
    }

    /** Whether a sequence set comes next (for SEARCH keys). */
    public boolean peekSequenceSet() {
        int c = peek();
        return (c >= '0' && c <= '9') || c == '*' || c == '$';
    }

    /** A flag: {@code \Name} or a keyword atom. */
    public String flag() {
        if (take('\\')) {
            return "\\" + atom();
        }
        return atom();
    }

    /** A parenthesised, possibly empty, list of flags. */
    public Set<String> flagList() {
        openList();
        Set<String> flags = new LinkedHashSet<>();
        if (!take(')')) {
            do {
                flags.add(flag());
            } while (take(' '));
            closeList();
        } else {
            depth--;
        }
        return flags;
    }

    /** A SEARCH date: {@code 7-Feb-2024}, optionally quoted. */
    public LocalDate date() {
        boolean quoted = take('"');
        String text = run(c -> c > 0x20 && c < 0x7f && c != '"' && c != ')' && c != '(', "a date");
        if (quoted) {
            expect('"', "'\"' after the date");
        }
        return ImapDates.parseDate(text);
    }

    /** An APPEND date-time, always quoted. */
    public OffsetDateTime dateTime() {
        byte[] text = quoted();
        return ImapDates.parseDateTime(new String(text, StandardCharsets.US_ASCII));
    }

    /** Whether a quoted string comes next. */
    public boolean peekQuoted() {
        return peek() == '"';
    }
}
