package org.mailwarden.admin.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mailwarden.admin.AdminService;
import org.mailwarden.store.Store;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The common part of the admin command groups ({@code domain}, {@code user}, ...): each subcommand opens
 * the store named by its {@code --config}, runs one {@link AdminService} operation and closes the store
 * again, so commands work the same whether or not a server is running.
 */
abstract class AdminGroup {

    @Spec
    CommandSpec spec;

    final AdminEnvironment env;

    AdminGroup(AdminEnvironment env) {
        this.env = env;
    }

    <T> T admin(ConfigOption config, Function<AdminService, T> operation) {
        try (Store store = env.stores().open(config.load().storage())) {
            return operation.apply(new AdminService(store, env.hasher()));
        }
    }

    void adminDo(ConfigOption config, Consumer<AdminService> operation) {
        admin(config, s -> {
            operation.accept(s);
            return null;
        });
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
