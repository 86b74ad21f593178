package org.mailwarden.imap.search;

import java.time.LocalDate;
import java.util.List;
import org.mailwarden.imap.parser.SequenceSet;

/**
 * One SEARCH criterion of RFC 9051 section 6.4.4 (with RFC 3501's NEW, OLD and RECENT and RFC 7162's
 * MODSEQ), as a tree: conjunctions, OR and NOT over the leaf tests. FROM, TO, CC, BCC and SUBJECT are
 * header searches.
 */
public sealed interface SearchKey {

    /** How a date compares: BEFORE, ON or SINCE. */
    enum DateTest { BEFORE, ON, SINCE }

    /** ALL. */
    record All() implements SearchKey {
    }

    /** Every key must match (the top level, and a parenthesised list). */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    /** A flag or keyword that must be {@code present} or absent (SEEN, UNSEEN, KEYWORD x...). */
    record Flag(String flag, boolean present) implements SearchKey {
    }

    /** IMAP4rev1's RECENT and NEW: this server never sets \Recent, so nothing matches. */
    record Recent() implements SearchKey {
    }

    /** BEFORE, ON, SINCE: the internal date (in UTC) compared with a day. */
    record InternalDate(DateTest test, LocalDate date) implements SearchKey {
    }

    /** SENTBEFORE, SENTON, SENTSINCE: the Date header's day (time and zone disregarded). */
    record SentDate(DateTest test, LocalDate date) implements SearchKey {
    }

    /** LARGER ({@code larger}) or SMALLER than a size in octets. */
    record Size(boolean larger, long octets) implements SearchKey {
    }

    /** A header field containing a string (case-insensitive, encoded-words decoded); "" matches any such field. */
    record Header(String field, String value) implements SearchKey {
    }

    /** A string in the decoded text parts. */
    record Body(String text) implements SearchKey {
    }

    /** A string in the header or the decoded text parts. */
    record Text(String text) implements SearchKey {
    }

    record Uids(SequenceSet set) implements SearchKey {
    }

    record Sequence(SequenceSet set) implements SearchKey {
    }

    /** MODSEQ: changed at or after this mod-sequence (RFC 7162). */
    record ModSeq(long modSeq) implements SearchKey {
    }
}
