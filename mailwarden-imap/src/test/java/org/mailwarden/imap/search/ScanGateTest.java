package org.mailwarden.imap.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate that keeps content searches to a share of the cores: permits, slices, and the bounded wait. */
class ScanGateTest {

    @Test
    void aSecondSearchWaitsForTheFirstAndGivesUpAfterTheLongestWait() throws Exception {
        ScanGate gate = new ScanGate(1, Duration.ofMinutes(1), Duration.ofMillis(100));
        try (ScanGate.Turn first = gate.enter()) {
            assertThatThrownBy(gate::enter).isInstanceOf(ScanGate.BusyException.class)
                    .hasMessage("no search slot within 0 s");
        }
        try (ScanGate.Turn again = gate.enter()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aPauseAfterTheSliceLetsTheWaitingSearchRunFirst() throws Exception {
        ScanGate gate = new ScanGate(1, Duration.ZERO, Duration.ofSeconds(30));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch secondQueued = new CountDownLatch(1);
        Thread second;
        try (ScanGate.Turn first = gate.enter()) {
            order.add("first scans");
            second = Thread.ofVirtual().start(() -> {
                secondQueued.countDown();
                try (ScanGate.Turn turn = gate.enter()) {
                    order.add("second scans");
                } catch (Exception e) {
                    order.add("second failed: " + e);
                }
            });
            assertThat(secondQueued.await(10, TimeUnit.SECONDS)).isTrue();
            while (second.getState() != Thread.State.WAITING && second.getState() != Thread.State.TIMED_WAITING
                    && second.isAlive()) {
                Thread.onSpinWait();
            }
            first.pause();
            order.add("first scans again");
        }
        second.join(10_000);
        assertThat(order).containsExactly("first scans", "second scans", "first scans again");
    }

    @Test
    void aPauseWithinTheSliceKeepsThePermit() throws Exception {
        ScanGate gate = new ScanGate(1, Duration.ofMinutes(1), Duration.ofMillis(50));
        try (ScanGate.Turn turn = gate.enter()) {
            turn.pause();
            assertThatThrownBy(gate::enter).isInstanceOf(ScanGate.BusyException.class);
        }
    }

    @Test
    void aGateNeedsAPermit() {
        assertThatThrownBy(() -> new ScanGate(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("a scan gate needs at least one permit, not 0");
    }
}
