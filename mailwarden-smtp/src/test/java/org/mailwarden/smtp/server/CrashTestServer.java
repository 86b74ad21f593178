package org.mailwarden.smtp.server;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.Listener;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * A stand-alone SMTP server process for the crash test: opens the SQLite store in {@code args[0]}
 * (creating the domain local.test and the account alice on first start), listens on a free port of
 * 127.0.0.1 and writes that port to {@code args[1]}, then serves until it is killed.
 */
public final class CrashTestServer {

    private CrashTestServer() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Store store = Stores.open(StorageConfig.sqlite(data));
        if (store.domains().find("local.test").isEmpty()) {
            store.domains().add("local.test", null);
            store.accounts().add("alice", "local.test", "unused", "unused");
        }
        SmtpService service = new SmtpService(store, "mx.local.test", null, data.resolve("spool"), Set.of());
        Listener listener = Listener.builder("smtp", new InetSocketAddress("127.0.0.1", 0),
                service.handler(ListenerRole.SMTP)).build();
        listener.start();
        Path portFile = Path.of(args[1]);
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, String.valueOf(listener.localAddress().getPort()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
