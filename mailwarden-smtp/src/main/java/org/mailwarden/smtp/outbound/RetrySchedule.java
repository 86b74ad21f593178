package org.mailwarden.smtp.outbound;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try a deferred recipient again, and when to give up: the interval starts at {@code initial} and
 * doubles with every failed attempt up to {@code max}; a message older than {@code lifetime} is not
 * retried any more (its last attempt is scheduled no later than the moment it expires, so it fails on time).
 * A delay notice becomes due once the message has waited {@code delayNotice} (zero: never). Pure: the
 * caller passes the clock readings.
 */
public record RetrySchedule(Duration initial, Duration max, Duration lifetime, Duration delayNotice) {

    /** About 5 minutes doubling to an hour, for five days; a delay notice after four hours. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5), Duration.ofHours(4));

    public RetrySchedule {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || lifetime.isNegative()
                || delayNotice.isNegative()) {
            throw new IllegalArgumentException("a retry schedule needs 0 < initial <= max and no negative durations");
        }
    }

    /** What to do after a temporary failure. */
    public sealed interface Next {
    }

    /** Try again at {@code at}. */
    public record RetryAt(Instant at) implements Next {
    }

    /** The message is too old: fail the recipient for good. */
    public record GiveUp() implements Next {
    }

    /**
     * The decision after the {@code attempts}-th failed attempt (counting this one) of a message queued at
     * {@code created}, at {@code now}.
     */
    public Next afterFailure(int attempts, Instant created, Instant now) {
        Instant expires = created.plus(lifetime);
        if (!now.isBefore(expires)) {
            return new GiveUp();
        }
        Instant at = now.plus(interval(attempts));
        return new RetryAt(at.isAfter(expires) ? expires : at);
    }

    /** The wait after the {@code attempts}-th failed attempt: initial, doubled per attempt, at most max. */
    public Duration interval(int attempts) {
        Duration d = initial;
        for (int i = 1; i < attempts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Whether a message queued at {@code created} has waited long enough at {@code now} for a delay notice. */
    public boolean delayNoticeDue(Instant created, Instant now) {
        return !delayNotice.isZero() && !now.isBefore(created.plus(delayNotice));
    }

    /** When a message queued at {@code created} is given up (for Will-Retry-Until in delay notices). */
    public Instant expiry(Instant created) {
        return created.plus(lifetime);
    }
}
