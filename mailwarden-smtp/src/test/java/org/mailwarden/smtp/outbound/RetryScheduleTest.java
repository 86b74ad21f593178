package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant QUEUED = Instant.parse("2026-11-27T10:00:00Z");
    private final RetrySchedule schedule = RetrySchedule.DEFAULT;

    @Test
    void theIntervalStartsAtFiveMinutesAndDoublesToAnHour() {
        assertThat(schedule.interval(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(schedule.interval(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(schedule.interval(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(schedule.interval(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(schedule.interval(5)).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.interval(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aDeferredRecipientIsRetriedAfterTheInterval() {
        Instant now = QUEUED.plus(Duration.ofMinutes(1));
        assertThat(schedule.afterFailure(1, QUEUED, now)).isEqualTo(new RetrySchedule.RetryAt(now.plus(Duration.ofMinutes(5))));
        assertThat(schedule.afterFailure(3, QUEUED, now)).isEqualTo(new RetrySchedule.RetryAt(now.plus(Duration.ofMinutes(20))));
    }

    @Test
    void theLastRetryFallsOnTheExpiryAndThenDeliveryGivesUp() {
        Instant nearEnd = QUEUED.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(10));
        assertThat(schedule.afterFailure(60, QUEUED, nearEnd)).isEqualTo(new RetrySchedule.RetryAt(QUEUED.plus(Duration.ofDays(5))));
        assertThat(schedule.afterFailure(61, QUEUED, QUEUED.plus(Duration.ofDays(5)))).isInstanceOf(RetrySchedule.GiveUp.class);
        assertThat(schedule.afterFailure(2, QUEUED, QUEUED.plus(Duration.ofDays(9)))).isInstanceOf(RetrySchedule.GiveUp.class);
    }

    @Test
    void aDelayNoticeIsDueAfterFourHoursUnlessSwitchedOff() {
        assertThat(schedule.delayNoticeDue(QUEUED, QUEUED.plus(Duration.ofHours(4)).minusSeconds(1))).isFalse();
        assertThat(schedule.delayNoticeDue(QUEUED, QUEUED.plus(Duration.ofHours(4)))).isTrue();
        RetrySchedule off = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), Duration.ZERO);
        assertThat(off.delayNoticeDue(QUEUED, QUEUED.plus(Duration.ofDays(4)))).isFalse();
    }

    @Test
    void settingsChangeTheScheduleAndBadValuesKeepTheDefault() {
        OutboundSettings s = OutboundSettings.from(java.util.Map.of("outbound.retry_initial_s", "60",
                "outbound.retry_max_s", "600", "outbound.max_queue_lifetime_h", "abc", "outbound.delay_notice_h", "0",
                "dns.servers", "127.0.0.1:5353, [::1]:53, 10.0.0.1", "outbound.max_connections", "0"));
        assertThat(s.schedule()).isEqualTo(new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofDays(5), Duration.ZERO));
        assertThat(s.dnsServers()).containsExactly(new OutboundSettings.DnsServer("127.0.0.1", 5353),
                new OutboundSettings.DnsServer("::1", 53), new OutboundSettings.DnsServer("10.0.0.1", 53));
        assertThat(s.maxConnections()).isEqualTo(20);
        assertThat(OutboundSettings.from(java.util.Map.of("dns.servers", "ns.example.test")).dnsServers()).isEmpty();
    }
}
