package org.mailwarden.admin.cli;

import java.io.InputStream;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * What the admin commands take from the process around them: standard input (for
 * {@code --password-stdin}), how to open a store, and the password hasher. Tests
 * pass their own stdin; the launcher uses {@link #system()}.
 */
public record AdminEnvironment(InputStream stdin, StoreOpener stores, PasswordHasher hasher) {

    /** Opens the store a config names. */
    @FunctionalInterface
    public interface StoreOpener {
        Store open(StorageConfig config);
    }

    public static AdminEnvironment system() {
        return new AdminEnvironment(System.in, Stores::open, new PasswordHasher());
    }
}
