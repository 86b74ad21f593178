package org.mailwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairShareTest {

    /** Readers of pipelined input in virtual threads, as server sessions are. */
    @Test
    void busySessionsAllFinishAndGiveBackEveryTurn() throws Exception {
        int before = FairShare.availableTurns();
        List<Thread> sessions = new ArrayList<>();
        int[] lines = new int[20];
        for (int i = 0; i < lines.length; i++) {
            int n = i;
            byte[] input = "NOOP\r\n".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
            sessions.add(Thread.ofVirtual().start(() -> {
                FairShare share = FairShare.forConnection();
                LineReader reader = new LineReader(new ByteArrayInputStream(input), 100, share);
                try {
                    while (!reader.readLine().isEof()) {
                        lines[n]++;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    share.pause(); // what Connection.close() does
                }
            }));
        }
        for (Thread t : sessions) {
            t.join();
        }
        assertThat(lines).containsOnly(50_000);
        assertThat(FairShare.availableTurns()).isEqualTo(before);
    }

    @Test
    void outsideServerSessionsThereIsNoLane() throws Exception {
        int before = FairShare.availableTurns();
        Thread t = Thread.ofVirtual().start(() -> FairShare.none().busy());
        t.join();
        FairShare.forConnection().busy(); // a platform thread: the operating system schedules
        assertThat(FairShare.availableTurns()).isEqualTo(before);
    }
}
