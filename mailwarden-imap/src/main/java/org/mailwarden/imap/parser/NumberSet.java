package org.mailwarden.imap.parser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A set of positive numbers (message sequence numbers or UIDs) held as sorted, disjoint, non-adjacent
 * ranges, so {@code 1:4000000000} costs two longs. It is what a {@link SequenceSet} resolves to, what SEARCH
 * collects, and what responses such as COPYUID, VANISHED and ESEARCH print in IMAP's compact form
 * ({@code 1:3,7,9:12}). Immutable.
 */
public final class NumberSet {

    public static final NumberSet EMPTY = new NumberSet(new long[0]);

    /** Pairs low, high, low, high... sorted and merged. */
    private final long[] bounds;

    private NumberSet(long[] bounds) {
        this.bounds = bounds;
    }

    public static NumberSet of(long... numbers) {
        Builder b = new Builder();
        for (long n : numbers) {
            b.add(n);
        }
        return b.build();
    }

    public static NumberSet of(Collection<Long> numbers) {
        Builder b = new Builder();
        numbers.forEach(b::add);
        return b.build();
    }

    public static NumberSet range(long low, long high) {
        return low > high ? EMPTY : new NumberSet(new long[] {low, high});
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** How many numbers the set holds. */
    public long size() {
        long n = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            n += bounds[i + 1] - bounds[i] + 1;
        }
        return n;
    }

    public boolean contains(long n) {
        int lo = 0;
        int hi = bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (n < bounds[2 * mid]) {
                hi = mid - 1;
            } else if (n > bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    public long min() {
        if (isEmpty()) {
            throw new IllegalStateException("empty set");
        }
        return bounds[0];
    }

    public long max() {
        if (isEmpty()) {
            throw new IllegalStateException("empty set");
        }
        return bounds[bounds.length - 1];
    }

    /** Visits every number in ascending order. */
    public void forEach(LongConsumer action) {
        for (int i = 0; i < bounds.length; i += 2) {
            for (long n = bounds[i]; n <= bounds[i + 1]; n++) {
                action.accept(n);
                if (n == Long.MAX_VALUE) {
                    break;
                }
            }
        }
    }

    /** The numbers, ascending; only for sets known to be small (bounded by a mailbox's size). */
    public List<Long> toList() {
        List<Long> out = new ArrayList<>((int) Math.min(size(), 1 << 16));
        forEach(out::add);
        return out;
    }

    /** The numbers of this set that are also in {@code other}. */
    public NumberSet intersect(NumberSet other) {
        Builder b = new Builder();
        int i = 0;
        int j = 0;
        while (i < bounds.length && j < other.bounds.length) {
            long lo = Math.max(bounds[i], other.bounds[j]);
            long hi = Math.min(bounds[i + 1], other.bounds[j + 1]);
            if (lo <= hi) {
                b.addRange(lo, hi);
            }
            if (bounds[i + 1] < other.bounds[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return b.build();
    }

    /** IMAP sequence-set syntax: {@code 1:3,7}; the empty set prints as the empty string. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(bounds[i]);
            if (bounds[i + 1] != bounds[i]) {
                out.append(':').append(bounds[i + 1]);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    /** Collects numbers and ranges in any order. */
    public static final class Builder {
        private long[] pairs = new long[16];
        private int count;
        private boolean sorted = true;

        public Builder add(long n) {
            return addRange(n, n);
        }

        public Builder addRange(long low, long high) {
            if (low > high) {
                long t = low;
                low = high;
                high = t;
            }
            if (count > 0) {
                long lastLow = pairs[count - 2];
                long lastHigh = pairs[count - 1];
                if (low >= lastLow && touches(low, lastHigh)) {
                    pairs[count - 1] = Math.max(lastHigh, high);
                    return this;
                }
                if (low < lastLow) {
                    sorted = false;
                }
            }
            if (count == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[count++] = low;
            pairs[count++] = high;
            return this;
        }

        /** Whether a range starting at {@code low} overlaps or adjoins one ending at {@code high}. */
        private static boolean touches(long low, long high) {
            return low <= high || low - 1 == high;
        }

        public NumberSet build() {
            if (count == 0) {
                return EMPTY;
            }
            long[][] ranges = new long[count / 2][];
            for (int i = 0; i < count; i += 2) {
                ranges[i / 2] = new long[] {pairs[i], pairs[i + 1]};
            }
            if (!sorted) {
                Arrays.sort(ranges, (a, b) -> Long.compare(a[0], b[0]));
            }
            long[] merged = new long[count];
            int n = 0;
            for (long[] r : ranges) {
                if (n > 0 && touches(r[0], merged[n - 1])) {
                    merged[n - 1] = Math.max(merged[n - 1], r[1]);
                } else {
                    merged[n++] = r[0];
                    merged[n++] = r[1];
                }
            }
            return new NumberSet(Arrays.copyOf(merged, n));
        }
    }
}
