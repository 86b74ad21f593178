package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AuthThrottle.Settings settings = new AuthThrottle.Settings(Duration.ofMinutes(10), 6, 4, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofMinutes(15), 1000);
    private final AuthThrottle throttle = new AuthThrottle(settings, clock);

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void delayDoublesWithEachFailureUpToTheMaximum() throws Exception {
        InetAddress a = ip("192.0.2.1");
        assertThat(throttle.check(a, "bob").delay()).isZero();
        throttle.failure(a, "x1");
        assertThat(throttle.check(a, "bob").delay()).isEqualTo(Duration.ofSeconds(1));
        throttle.failure(a, "x2");
        throttle.failure(a, "x3");
        assertThat(throttle.check(a, "bob").delay()).isEqualTo(Duration.ofSeconds(4));
        throttle.failure(a, "x4");
        throttle.failure(a, "x5");
        assertThat(throttle.check(a, "bob").delay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(throttle.check(a, "bob").locked()).isFalse();
    }

    @Test
    void tooManyFailuresForOneLoginLockItFromEveryAddress() throws Exception {
        for (int i = 0; i < 4; i++) {
            throttle.failure(ip("198.51.100." + i), "Bob@Example.test");
        }
        AuthThrottle.Verdict v = throttle.check(ip("203.0.113.5"), "bob@example.test");
        assertThat(v.locked()).isTrue();
        assertThat(v.lockedUntil()).isEqualTo(clock.now.plus(Duration.ofMinutes(15)));
        assertThat(throttle.check(ip("203.0.113.5"), "alice@example.test").locked()).isFalse();
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(throttle.check(ip("203.0.113.5"), "bob@example.test")).isEqualTo(new AuthThrottle.Verdict(false, null, Duration.ZERO));
    }

    @Test
    void tooManyFailuresFromOneAddressLockItForEveryLogin() throws Exception {
        for (int i = 0; i < 6; i++) {
            throttle.failure(ip("192.0.2.9"), "user" + i);
        }
        assertThat(throttle.check(ip("192.0.2.9"), "someone-else").locked()).isTrue();
        assertThat(throttle.check(ip("192.0.2.9"), null).locked()).isTrue();
        assertThat(throttle.check(ip("192.0.2.10"), "someone-else").locked()).isFalse();
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64AndMappedIpv4AsIpv4() throws Exception {
        for (int i = 0; i < 6; i++) {
            throttle.failure(ip("2001:db8:1:2::" + (i + 1)), "u" + i);
        }
        assertThat(throttle.check(ip("2001:db8:1:2:ffff::1"), null).locked()).isTrue();
        assertThat(throttle.check(ip("2001:db8:1:3::1"), null).locked()).isFalse();
        throttle.failure(ip("192.0.2.50"), null);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(ip("192.0.2.50").getAddress(), 0, mapped, 12, 4);
        assertThat(throttle.check(java.net.Inet6Address.getByAddress(null, mapped, -1), null).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void failuresExpireAfterTheWindow() throws Exception {
        throttle.failure(ip("192.0.2.1"), "bob");
        throttle.failure(ip("192.0.2.1"), "bob");
        clock.advance(Duration.ofMinutes(11));
        throttle.failure(ip("192.0.2.1"), "bob");
        assertThat(throttle.check(ip("192.0.2.1"), "bob").delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void successClearsTheLoginButNotTheAddress() throws Exception {
        throttle.failure(ip("192.0.2.1"), "bob");
        throttle.failure(ip("192.0.2.1"), "bob");
        throttle.success(ip("192.0.2.1"), "bob");
        assertThat(throttle.check(ip("192.0.2.2"), "bob").delay()).isZero();
        assertThat(throttle.check(ip("192.0.2.1"), "carol").delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void memoryIsBounded() throws Exception {
        AuthThrottle small = new AuthThrottle(new AuthThrottle.Settings(Duration.ofMinutes(10), 6, 4, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofMinutes(15), 10), clock);
        small.failure(ip("192.0.2.1"), null);
        for (int i = 0; i < 20; i++) {
            small.failure(ip("198.51.100." + i), null);
        }
        assertThat(small.check(ip("192.0.2.1"), null).delay()).isZero();
        assertThat(small.check(ip("198.51.100.19"), null).delay()).isEqualTo(Duration.ofSeconds(1));
    }
}
