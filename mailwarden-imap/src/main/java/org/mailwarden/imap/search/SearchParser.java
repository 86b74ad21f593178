package org.mailwarden.imap.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.imap.parser.CommandReader;
import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.search.SearchKey.DateTest;

/** Parses SEARCH keys from a command, bounding how deeply NOT, OR and parentheses nest. */
public final class SearchParser {

    static final int MAX_DEPTH = 32;

    private final CommandReader r;

    private SearchParser(CommandReader r) {
        this.r = r;
    }

    /** Parses one or more keys up to the end of the command; several keys form a conjunction. */
    public static SearchKey parse(CommandReader r) throws IOException {
        SearchParser p = new SearchParser(r);
        List<SearchKey> keys = new ArrayList<>();
        keys.add(p.key(0));
        while (!r.atEnd()) {
            r.sp();
            keys.add(p.key(0));
        }
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }

    private SearchKey key(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw ImapParseException.bad("search keys nested too deeply (limit " + MAX_DEPTH + ")");
        }
        if (r.peek() == '(') {
            r.openList();
            List<SearchKey> keys = new ArrayList<>();
            keys.add(key(depth + 1));
            while (r.take(' ')) {
                keys.add(key(depth + 1));
            }
            r.closeList();
            return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
        }
        if (r.peekSequenceSet()) {
            return new SearchKey.Sequence(r.sequenceSet());
        }
        String word = r.keyword();
        return switch (word) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag("\\Answered", true);
            case "DELETED" -> new SearchKey.Flag("\\Deleted", true);
            case "DRAFT" -> new SearchKey.Flag("\\Draft", true);
            case "FLAGGED" -> new SearchKey.Flag("\\Flagged", true);
            case "SEEN" -> new SearchKey.Flag("\\Seen", true);
            case "UNANSWERED" -> new SearchKey.Flag("\\Answered", false);
            case "UNDELETED" -> new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT" -> new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED" -> new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN" -> new SearchKey.Flag("\\Seen", false);
            case "KEYWORD" -> new SearchKey.Flag(argKeyword(), true);
            case "UNKEYWORD" -> new SearchKey.Flag(argKeyword(), false);
            case "RECENT", "NEW" -> new SearchKey.Recent();
            case "OLD" -> new SearchKey.Not(new SearchKey.Recent());
            case "BEFORE" -> new SearchKey.InternalDate(DateTest.BEFORE, argDate());
            case "ON" -> new SearchKey.InternalDate(DateTest.ON, argDate());
            case "SINCE" -> new SearchKey.InternalDate(DateTest.SINCE, argDate());
            case "SENTBEFORE" -> new SearchKey.SentDate(DateTest.BEFORE, argDate());
            case "SENTON" -> new SearchKey.SentDate(DateTest.ON, argDate());
            case "SENTSINCE" -> new SearchKey.SentDate(DateTest.SINCE, argDate());
            case "LARGER" -> new SearchKey.Size(true, argNumber());
            case "SMALLER" -> new SearchKey.Size(false, argNumber());
            case "FROM", "TO", "CC", "BCC", "SUBJECT" -> new SearchKey.Header(headerName(word), argString());
            case "HEADER" -> {
                String field = argString();
                if (field.isEmpty() || field.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == ':')) {
                    throw ImapParseException.bad("invalid header field name in SEARCH HEADER");
                }
                yield new SearchKey.Header(field, argString());
            }
            case "BODY" -> new SearchKey.Body(argString());
            case "TEXT" -> new SearchKey.Text(argString());
            case "UID" -> {
                r.sp();
                yield new SearchKey.Uids(r.sequenceSet());
            }
            case "NOT" -> {
                r.sp();
                yield new SearchKey.Not(key(depth + 1));
            }
            case "OR" -> {
                r.sp();
                SearchKey left = key(depth + 1);
                r.sp();
                yield new SearchKey.Or(left, key(depth + 1));
            }
            case "MODSEQ" -> {
                r.sp();
                if (r.peekQuoted()) {
                    // entry-name SP entry-type-req: this server keeps one MODSEQ per message, so both are ignored
                    r.string();
                    r.sp();
                    r.keyword();
                    r.sp();
                }
                yield new SearchKey.ModSeq(r.number64());
            }
            default -> throw ImapParseException.bad("unknown SEARCH key " + word);
        };
    }

    private static String headerName(String key) {
        return switch (key) {
            case "FROM" -> "From";
            case "TO" -> "To";
            case "CC" -> "Cc";
            case "BCC" -> "Bcc";
            default -> "Subject";
        };
    }

    private String argString() throws IOException {
        r.sp();
        return r.astring();
    }

    private String argKeyword() {
        r.sp();
        return r.flag();
    }

    private java.time.LocalDate argDate() {
        r.sp();
        return r.date();
    }

    private long argNumber() {
        r.sp();
        return r.number64();
    }
}
