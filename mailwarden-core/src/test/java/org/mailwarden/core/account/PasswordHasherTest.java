package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    /** Small parameters keep the tests quick; the format and the code path are the same. */
    static final PasswordHasher FAST = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));

    @Test
    void verifiesTheReferenceImplementationsPublishedHashes() {
        // From the Argon2 reference implementation's test suite (phc-winner-argon2, src/test.c).
        String small = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        String big = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(FAST.verify("password", small)).isTrue();
        assertThat(FAST.verify("passwore", small)).isFalse();
        assertThat(FAST.verify("password", big)).isTrue();
    }

    @Test
    void hashesInPhcFormatWithParametersAndRandomSalt() {
        PasswordHasher hasher = new PasswordHasher();
        String h = hasher.hash("correct horse");
        assertThat(h).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.hash("correct horse")).isNotEqualTo(h);
        assertThat(hasher.verify("correct horse", h)).isTrue();
        assertThat(hasher.verify("correct horsE", h)).isFalse();
        assertThat(hasher.needsRehash(h)).isFalse();
    }

    @Test
    void verifiesWithTheParametersInTheStringNotItsOwn() {
        String h = FAST.hash("s3cret");
        assertThat(new PasswordHasher(new PasswordHasher.Parameters(128, 2, 2)).verify("s3cret", h)).isTrue();
        assertThat(new PasswordHasher().needsRehash(h)).isTrue();
    }

    @Test
    void equivalentUnicodeSpellingsOfAPasswordMatch() {
        String h = FAST.hash("caf\u00e9");
        assertThat(FAST.verify("cafe\u0301", h)).isTrue();
        assertThat(FAST.verify("caf\u00e9\u200B", h)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=18$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=99,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$short"})
    void malformedOrOutOfBoundsHashesNeverMatch(String bad) {
        assertThat(FAST.verify("password", bad)).isFalse();
        assertThat(FAST.needsRehash(bad)).isTrue();
    }

    @Test
    void nullsNeverMatchAndDummyNeverMatches() {
        assertThat(FAST.verify("x", null)).isFalse();
        assertThat(FAST.verify(null, FAST.hash("x"))).isFalse();
        assertThat(FAST.verifyDummy("anything")).isFalse();
    }

    /** Not an assertion (no timing assertions on a shared machine): prints the cost of the defaults for the report. */
    @Test
    void measureDefaultCost() {
        PasswordHasher hasher = new PasswordHasher();
        String h = hasher.hash("warm up");
        int rounds = 5;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            hasher.verify("warm up", h);
        }
        double ms = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf("Argon2id m=19456 KiB, t=2, p=1: %.1f ms per verification%n", ms);
        assertThat(ms).isPositive();
    }

    /**
     * Hashing from virtual threads gives the same answers and leaves the carriers free: with twice as many
     * virtual threads hashing as there are carriers, one more virtual thread still runs before any hash is
     * done (on a carrier, a hash would hold it until it finished). An ordering, not a timing.
     */
    @Test
    void virtualThreadsHashOffTheirCarriers() throws Exception {
        PasswordHasher slow = new PasswordHasher(new PasswordHasher.Parameters(65536, 3, 1));
        String stored = FAST.hash("right");
        String slowStored = slow.hash("right");
        int hashers = 2 * Runtime.getRuntime().availableProcessors();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger correct = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < hashers; i++) {
            boolean right = i % 2 == 0;
            threads.add(Thread.ofVirtual().start(() -> {
                if (slow.verify(right ? "right" : "wrong", slowStored) == right && FAST.verify(right ? "right" : "wrong", stored) == right) {
                    correct.incrementAndGet();
                }
                done.incrementAndGet();
            }));
        }
        CountDownLatch ran = new CountDownLatch(1);
        int[] doneWhenRan = new int[1];
        Thread.ofVirtual().start(() -> {
            doneWhenRan[0] = done.get();
            ran.countDown();
        });
        ran.await();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(doneWhenRan[0]).as("hashes finished before a new virtual thread got a carrier").isZero();
        assertThat(correct.get()).isEqualTo(hashers);
    }

    @Test
    void anInterruptDuringHashingIsKeptForTheCaller() throws Exception {
        String stored = FAST.hash("right");
        boolean[] seen = new boolean[2];
        Thread t = Thread.ofVirtual().unstarted(() -> {
            Thread.currentThread().interrupt();
            seen[0] = FAST.verify("right", stored);
            seen[1] = Thread.currentThread().isInterrupted();
        });
        t.start();
        t.join();
        assertThat(seen).containsExactly(true, true);
    }
}
