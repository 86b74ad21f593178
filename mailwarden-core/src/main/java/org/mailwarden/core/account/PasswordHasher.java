package org.mailwarden.core.account;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, with the parameters inside the string so they can be
 * raised later without invalidating stored hashes ({@link #needsRehash} says when to re-hash at the next
 * successful login). Comparison is constant-time. {@link #verifyDummy} burns the same time against a hash
 * made at construction, so a login for an unknown name costs as much as one with a wrong password and
 * timing does not reveal which accounts exist. Thread-safe. The hashing itself runs on a small pool of
 * platform threads (one per processor) when the caller is a virtual thread, see {@link #argon2}.
 */
public final class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final ExecutorService HASHING = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), Thread.ofPlatform().name("argon2-", 0).daemon().factory());

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    /**
     * Argon2id cost: memory in KiB, passes and lanes. The defaults follow OWASP's minimum recommendation
     * (19 MiB, 2 passes, 1 lane). Bounds keep a tampered hash string from requesting absurd work.
     */
    public record Parameters(int memoryKiB, int iterations, int parallelism) {

        public static final Parameters DEFAULT = new Parameters(19456, 2, 1);

        public Parameters {
            if (parallelism < 1 || parallelism > 16 || memoryKiB < 8 * parallelism || memoryKiB > 1_048_576
                    || iterations < 1 || iterations > 20) {
                throw new IllegalArgumentException("Argon2id parameters out of range: m=" + memoryKiB + " KiB (8*p to 1048576), t="
                        + iterations + " (1 to 20), p=" + parallelism + " (1 to 16)");
            }
        }
    }

    public PasswordHasher() {
        this(Parameters.DEFAULT);
    }

    public PasswordHasher(Parameters parameters) {
        this.parameters = parameters;
        byte[] unguessable = new byte[24];
        random.nextBytes(unguessable);
        this.dummyHash = hash(B64.encodeToString(unguessable));
    }

    public Parameters parameters() {
        return parameters;
    }

    /** A new PHC string for {@code password}, with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(Passwords.prepare(password), salt, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p=" + parameters.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Whether {@code password} matches {@code phc}. A null, malformed or out-of-bounds hash never matches; it
     * still costs one dummy verification, so a broken account looks like any other failure.
     */
    public boolean verify(String password, String phc) {
        Decoded d = phc == null ? null : decode(phc);
        if (d == null || password == null) {
            verifyDummy(password == null ? "" : password);
            return false;
        }
        byte[] actual = argon2(Passwords.prepare(password), d.salt(), d.parameters(), d.hash().length);
        return MessageDigest.isEqual(actual, d.hash());
    }

    /** Spends the time of one verification and returns false; call it for unknown login names. */
    public boolean verifyDummy(String password) {
        Decoded d = decode(dummyHash);
        byte[] actual = argon2(Passwords.prepare(password), d.salt(), d.parameters(), d.hash().length);
        MessageDigest.isEqual(actual, d.hash());
        return false;
    }

    /** Whether {@code phc} was made with other parameters than this hasher's (or can't be read). */
    public boolean needsRehash(String phc) {
        Decoded d = phc == null ? null : decode(phc);
        return d == null || !d.parameters().equals(parameters) || d.hash().length != HASH_BYTES || d.salt().length != SALT_BYTES;
    }

    private record Decoded(Parameters parameters, byte[] salt, byte[] hash) {
    }

    private static Decoded decode(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return null;
        }
        try {
            Parameters p = new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] hash = Base64.getDecoder().decode(m.group(5));
            return salt.length >= 8 && hash.length >= 16 ? new Decoded(p, salt, hash) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * One Argon2id computation (50–130 ms of CPU here). A virtual thread is never preempted, so hashing on a
     * carrier would hold every session queued behind it on that carrier: with two cores, two logins at once
     * delayed a trivial LOGOUT by up to 0.2 s in the IMAP benchmark. From a virtual thread the work is handed
     * to platform threads, which the operating system time-slices, and the caller parks. The wait is not
     * interruptible, like the computation it replaces; an interrupt is kept for the caller.
     */
    private static byte[] argon2(byte[] password, byte[] salt, Parameters p, int length) {
        if (!Thread.currentThread().isVirtual()) {
            return compute(password, salt, p, length);
        }
        Future<byte[]> result = HASHING.submit(() -> compute(password, salt, p, length));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("Argon2id failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] compute(byte[] password, byte[] salt, Parameters p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
