package org.mailwarden.admin.cli;

import java.io.InputStream;
import org.mailwarden.admin.AdminException;
import org.mailwarden.admin.PasswordSecrets;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * What the admin commands take from the process around them: standard input (for
 * {@code --password-stdin}), how to open a store, and how to turn a password into stored secrets. Tests
 * pass their own stdin; the launcher uses {@link #system()}.
 */
public record AdminEnvironment(InputStream stdin, StoreOpener stores, PasswordSecrets secrets) {

    /** Opens the store a config names. */
    @FunctionalInterface
    public interface StoreOpener {
        Store open(StorageConfig config);
    }

    public static AdminEnvironment system() {
        return new AdminEnvironment(System.in, Stores::open, AdminEnvironment::noHasher);
    }

    // Bridge to coreauth's password hashing until it is merged into this branch.

    private static PasswordSecrets.Stored noHasher(char[] password) {
        throw new AdminException("this build has no password hashing yet");
    }
}
