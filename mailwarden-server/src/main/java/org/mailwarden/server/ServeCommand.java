package org.mailwarden.server;

import java.time.Duration;
import java.util.List;
import org.mailwarden.admin.cli.ConfigOption;
import org.mailwarden.core.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mailwarden serve}: runs the server until SIGTERM or Ctrl-C, then shuts down gracefully (stop
 * accepting, let sessions finish for up to {@link #SHUTDOWN_DEADLINE}, close the store).
 */
@Command(name = "serve", description = "Run the mail server (until SIGTERM or Ctrl-C).")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    @Mixin
    ConfigOption config;

    private final List<ProtocolService> services;

    ServeCommand(List<ProtocolService> services) {
        this.services = services;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.showInfo();
        ServerConfig loaded = config.load();
        MailServer server = MailServer.start(loaded, services);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(SHUTDOWN_DEADLINE), "shutdown"));
        server.awaitStopped();
        return 0;
    }
}
