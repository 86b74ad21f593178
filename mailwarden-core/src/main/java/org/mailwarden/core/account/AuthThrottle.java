package org.mailwarden.core.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.mailwarden.core.address.IpAddresses;

/**
 * Slows down and then locks out password guessing. Failures are counted per client address (IPv6 clients
 * per /64, since one host usually owns a whole /64) and per login name over a sliding window; each failure
 * grows the delay before the next answer (doubling from {@code baseDelay} up to {@code maxDelay}), and
 * reaching the limit locks that address or name for {@code lockout}. A success clears the name's count but
 * not the address's, so a valid account can't be used to reset a guessing client's counter. Memory is
 * bounded: at most {@code maxTracked} keys are remembered, the least recently used dropped first.
 * Time comes from the injected {@link Clock}; the class never sleeps, the protocol session applies the
 * delay. Thread-safe.
 */
public final class AuthThrottle {

    /** The throttle's limits. */
    public record Settings(Duration window, int maxFailuresPerAddress, int maxFailuresPerLogin, Duration baseDelay,
                           Duration maxDelay, Duration lockout, int maxTracked) {

        public Settings {
            if (maxFailuresPerAddress < 1 || maxFailuresPerLogin < 1 || maxTracked < 1 || window.isNegative()
                    || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || lockout.isNegative()) {
                throw new IllegalArgumentException("invalid throttle settings");
            }
        }

        /** 15-minute window; 20 failures per address, 10 per login; 1 s doubling to 16 s; 15-minute lockout. */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(15), 20, 10, Duration.ofSeconds(1), Duration.ofSeconds(16),
                    Duration.ofMinutes(15), 100_000);
        }
    }

    /**
     * What to do before checking a password: refuse outright while {@code locked} (until {@code lockedUntil}),
     * otherwise wait {@code delay} before answering.
     */
    public record Verdict(boolean locked, Instant lockedUntil, Duration delay) {
    }

    private volatile Settings settings;
    private final Clock clock;
    private final Map<String, Tally> entries;

    public AuthThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tally> eldest) {
                return size() > AuthThrottle.this.settings.maxTracked();
            }
        };
    }

    /**
     * Replaces the limits at run time (an administrator changed them); counts already kept stay and are
     * judged by the new limits from the next attempt on.
     */
    public synchronized void setSettings(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The verdict for a login attempt by {@code client} for {@code login} (null when no name is known yet). */
    public synchronized Verdict check(InetAddress client, String login) {
        Instant now = clock.instant();
        Tally byAddress = entries.get(addressKey(client));
        Tally byLogin = login == null ? null : entries.get(loginKey(login));
        Instant until = later(lockedUntil(byAddress, now), lockedUntil(byLogin, now));
        if (until != null) {
            return new Verdict(true, until, Duration.ZERO);
        }
        int failures = Math.max(count(byAddress, now), count(byLogin, now));
        return new Verdict(false, null, delayFor(failures));
    }

    /** Records a failed attempt. */
    public synchronized void failure(InetAddress client, String login) {
        Instant now = clock.instant();
        record(addressKey(client), settings.maxFailuresPerAddress(), now);
        if (login != null) {
            record(loginKey(login), settings.maxFailuresPerLogin(), now);
        }
    }

    /** Records a successful login: the name's failures are forgotten. */
    public synchronized void success(InetAddress client, String login) {
        if (login != null) {
            entries.remove(loginKey(login));
        }
    }

    private void record(String key, int max, Instant now) {
        Tally e = entries.computeIfAbsent(key, k -> new Tally());
        e.prune(now.minus(settings.window()));
        e.failures.addLast(now);
        while (e.failures.size() > max) {
            e.failures.removeFirst();
        }
        if (e.failures.size() >= max) {
            e.lockedUntil = now.plus(settings.lockout());
            e.failures.clear();
        }
    }

    private Duration delayFor(int failures) {
        if (failures == 0) {
            return Duration.ZERO;
        }
        Duration d = settings.baseDelay().multipliedBy(1L << Math.min(failures - 1, 30));
        return d.compareTo(settings.maxDelay()) > 0 || d.isNegative() ? settings.maxDelay() : d;
    }

    private int count(Tally e, Instant now) {
        if (e == null) {
            return 0;
        }
        e.prune(now.minus(settings.window()));
        return e.failures.size();
    }

    private static Instant lockedUntil(Tally e, Instant now) {
        return e != null && e.lockedUntil != null && e.lockedUntil.isAfter(now) ? e.lockedUntil : null;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static String addressKey(InetAddress client) {
        InetAddress a = IpAddresses.unmap(client);
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            Arrays.fill(b, 8, 16, (byte) 0);
            return "ip:" + IpAddresses.toText(toAddress(b)) + "/64";
        }
        return "ip:" + IpAddresses.toText(a);
    }

    private static InetAddress toAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loginKey(String login) {
        return "login:" + login.toLowerCase(Locale.ROOT);
    }

    /** Recent failure times and the lockout end of one key. */
    private static final class Tally {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil;

        void prune(Instant oldest) {
            while (!failures.isEmpty() && failures.peekFirst().isBefore(oldest)) {
                failures.removeFirst();
            }
        }
    }
}
