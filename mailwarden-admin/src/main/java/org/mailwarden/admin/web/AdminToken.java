package org.mailwarden.admin.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.mailwarden.admin.AdminException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret that opens the admin API and the web console: 256 random bits kept in
 * {@code <data_dir>/admin.token} (mode 0600), created by whichever comes first, the server's start or
 * {@code mailwarden admin token}. Clients send it as {@code Authorization: Bearer TOKEN}; the console's login
 * page takes it once and then uses a session cookie. It is compared in constant time and never logged;
 * {@link #toString()} does not show it.
 */
public final class AdminToken {

    /** The file name under the data directory. */
    public static final String FILE_NAME = "admin.token";

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7e]{32,256}");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final String value;
    private final byte[] digest;

    private AdminToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /**
     * The token in {@code <dataDir>/admin.token}, created with a fresh random value when the file does not
     * exist. Two processes starting at once end up with the same token: the file is written under a temporary
     * name and linked into place only if nobody else was first.
     *
     * @throws AdminException when the file cannot be read or written, or holds no usable token
     */
    public static AdminToken loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            return load(file);
        } catch (IOException e) {
            throw new AdminException("cannot read or create the admin token " + file + ": " + e.getMessage()
                    + " (check that the data directory is writable by this user)");
        }
    }

    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "mwa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = posix(dataDir)
                ? Files.createTempFile(dataDir, ".admin.token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dataDir, ".admin.token", ".tmp");
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            try {
                // A hard link appears complete and atomically, and fails if the name exists; a rename would replace.
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
            log.info("admin token created in {} (show it with: mailwarden admin token)", file);
        } catch (FileAlreadyExistsException e) {
            // Someone else created it first; theirs is the token.
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static AdminToken load(Path file) throws IOException {
        if (posix(file.getParent())) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                log.warn("{} can be read by other users ({}); restrict it with: chmod 600 {}", file,
                        PosixFilePermissions.toString(perms), file);
            }
        }
        if (Files.size(file) > 1024) {
            throw new AdminException(file + " is too large to be an admin token; delete it and a new one is made");
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!FORMAT.matcher(token).matches()) {
            throw new AdminException(file + " does not hold a usable admin token (32 to 256 printable ASCII characters);"
                    + " delete it and a new one is made at the next start");
        }
        return new AdminToken(token);
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The token itself, for {@code mailwarden admin token} to print. */
    public String value() {
        return value;
    }

    /**
     * Whether {@code presented} is the token. Both sides are hashed first, so the comparison takes the same
     * time whatever the length or content of the guess.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
