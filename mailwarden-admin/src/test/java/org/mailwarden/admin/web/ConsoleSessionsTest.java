package org.mailwarden.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mailwarden.admin.web.ConsoleSessions.Login;

/** Console sessions expire when idle or old, are capped in number, and check their CSRF token exactly. */
class ConsoleSessionsTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final ManualClock clock = new ManualClock();
    final ConsoleSessions sessions = new ConsoleSessions(clock);

    @Test
    void aSessionLivesWhileUsedAndEndsWhenIdleOrOld() {
        Login login = sessions.open();
        assertThat(sessions.find(login.sessionId())).contains(login.session());
        assertThat(sessions.find(login.sessionId() + "x")).isEmpty();

        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(25));
            if (i < 28) {
                assertThat(sessions.find(login.sessionId())).as("after %d uses", i).isPresent();
            }
        }
        assertThat(sessions.find(login.sessionId())).as("12 hours after login").isEmpty();

        Login idle = sessions.open();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(idle.sessionId())).isEmpty();
    }

    @Test
    void logoutEndsTheSessionAndTheOldestGoFirstAtTheCap() {
        Login first = sessions.open();
        sessions.close(first.sessionId());
        assertThat(sessions.find(first.sessionId())).isEmpty();

        Login oldest = sessions.open();
        clock.advance(Duration.ofSeconds(1));
        Login second = sessions.open();
        for (int i = 2; i < ConsoleSessions.MAX_SESSIONS; i++) {
            sessions.open();
        }
        assertThat(sessions.find(oldest.sessionId())).isPresent();
        sessions.open();
        assertThat(sessions.find(oldest.sessionId())).isEmpty();
        assertThat(sessions.find(second.sessionId())).isPresent();
    }

    @Test
    void csrfTokensAreCheckedExactly() {
        Login login = sessions.open();
        String csrf = login.session().csrfToken();
        assertThat(ConsoleSessions.csrfMatches(login.session(), csrf)).isTrue();
        assertThat(ConsoleSessions.csrfMatches(login.session(), csrf.toUpperCase())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(login.session(), "")).isFalse();
        assertThat(ConsoleSessions.csrfMatches(login.session(), null)).isFalse();
        assertThat(sessions.open().session().csrfToken()).isNotEqualTo(csrf);
        assertThat(login.toString()).doesNotContain(login.sessionId(), csrf);
    }

    @Test
    void metricsAccessFollowsTheSettingAndFailsClosed() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("192.0.2.7");
        assertThat(MetricsAccess.of(null).tokenRequired(loopback)).isFalse();
        assertThat(MetricsAccess.of(null).tokenRequired(remote)).isTrue();
        assertThat(MetricsAccess.of("never").tokenRequired(remote)).isFalse();
        assertThat(MetricsAccess.of(" ALWAYS ").tokenRequired(loopback)).isTrue();
        assertThat(MetricsAccess.of("off").tokenRequired(loopback)).isTrue();
    }
}
