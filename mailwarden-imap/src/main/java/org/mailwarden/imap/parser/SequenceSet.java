package org.mailwarden.imap.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence set as the client wrote it: numbers, ranges and {@code *} (the largest number in use),
 * or {@code $}, the saved result of the last SEARCH (RFC 5182). It is resolved against a mailbox with
 * {@link #resolve(long)}, where {@code *} takes its value and {@code 9:2} means {@code 2:9}.
 */
public final class SequenceSet {

    /** The value that stands for {@code *} in a {@link Range}. */
    public static final long STAR = -1;

    /** {@code $}: the last SEARCH result saved with SEARCHRES. */
    public static final SequenceSet SAVED_RESULT = new SequenceSet(List.of(), true);

    /** {@code low:high} as written; either may be {@link #STAR}; a single number has low == high. */
    public record Range(long low, long high) {
    }

    private final List<Range> ranges;
    private final boolean savedResult;

    private SequenceSet(List<Range> ranges, boolean savedResult) {
        this.ranges = List.copyOf(ranges);
        this.savedResult = savedResult;
    }

    public static SequenceSet of(List<Range> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("a sequence set has at least one range");
        }
        return new SequenceSet(ranges, false);
    }

    /**
     * Parses {@code 1,3:5,7:*} or {@code $}. Numbers are 1 to 4294967295.
     *
     * @throws ImapParseException when the text is not a sequence set
     */
    public static SequenceSet parse(String text) {
        if (text.equals("$")) {
            return SAVED_RESULT;
        }
        if (text.isEmpty()) {
            throw ImapParseException.bad("missing sequence set");
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part, text);
                ranges.add(new Range(n, n));
            } else {
                ranges.add(new Range(number(part.substring(0, colon), text), number(part.substring(colon + 1), text)));
            }
        }
        return new SequenceSet(ranges, false);
    }

    private static long number(String s, String whole) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0' || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ImapParseException.bad("invalid sequence set '" + clip(whole) + "'");
        }
        long n = Long.parseLong(s);
        if (n > 0xFFFF_FFFFL) {
            throw ImapParseException.bad("number out of range in sequence set '" + clip(whole) + "'");
        }
        return n;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    public boolean isSavedResult() {
        return savedResult;
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** Whether {@code *} occurs (with UIDs, {@code n:*} always includes the largest UID). */
    public boolean hasStar() {
        return ranges.stream().anyMatch(r -> r.low() == STAR || r.high() == STAR);
    }

    /** The numbers this set names when {@code star} is the largest one in use (0 for an empty mailbox). */
    public NumberSet resolve(long star) {
        if (savedResult) {
            throw new IllegalStateException("$ is resolved by the session");
        }
        NumberSet.Builder b = new NumberSet.Builder();
        for (Range r : ranges) {
            long low = r.low() == STAR ? star : r.low();
            long high = r.high() == STAR ? star : r.high();
            if (low == 0 && high == 0) {
                continue;
            }
            b.addRange(Math.max(1, Math.min(low, high)), Math.max(low, high));
        }
        return b.build();
    }

    /** The largest number written explicitly, ignoring {@code *}; 0 when there is none. */
    public long maxExplicit() {
        long max = 0;
        for (Range r : ranges) {
            max = Math.max(max, Math.max(r.low(), r.high()));
        }
        return max;
    }

    @Override
    public String toString() {
        if (savedResult) {
            return "$";
        }
        StringBuilder out = new StringBuilder();
        for (Range r : ranges) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(r.low() == STAR ? "*" : String.valueOf(r.low()));
            if (r.high() != r.low()) {
                out.append(':').append(r.high() == STAR ? "*" : String.valueOf(r.high()));
            }
        }
        return out.toString();
    }
}
