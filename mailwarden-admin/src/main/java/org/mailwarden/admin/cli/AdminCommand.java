package org.mailwarden.admin.cli;

import java.util.concurrent.Callable;
import org.mailwarden.admin.web.AdminToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mailwarden admin token}: prints the token that opens the REST API and the web console, creating
 * {@code <data_dir>/admin.token} first if the server has not started yet. Only the token goes to stdout, so
 * {@code TOKEN=$(mailwarden admin token)} works.
 */
@Command(name = "admin", description = "The admin REST API and web console.", subcommands = AdminCommand.Token.class)
final class AdminCommand {

    @Command(name = "token", description = "Print the admin token (from <data_dir>/admin.token, created if missing)."
            + " Send it as 'Authorization: Bearer TOKEN', or paste it into the web console's login page.")
    static final class Token implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(AdminToken.loadOrCreate(config.load().dataDir()).value());
            return 0;
        }
    }
}
