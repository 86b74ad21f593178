package org.mailwarden.admin.cli;

import java.io.InputStream;
import org.mailwarden.admin.AdminException;
import org.mailwarden.admin.PasswordSecrets;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;

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
        return new AdminEnvironment(System.in, AdminEnvironment::openStore, AdminEnvironment::noHasher);
    }

    // Bridges to the store and coreauth implementations until they are merged into this branch.
    private static Store openStore(StorageConfig config) {
        try {
            Class<?> stores = Class.forName("org.mailwarden.store.Stores");
            return (Store) stores.getMethod("open", StorageConfig.class).invoke(null, config);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(StoreException.Kind.UNAVAILABLE, e.getCause().toString(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AdminException("this build has no storage implementation yet");
        }
    }

    private static PasswordSecrets.Stored noHasher(char[] password) {
        throw new AdminException("this build has no password hashing yet");
    }
}
