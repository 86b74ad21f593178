package org.mailwarden.admin.cli;

import java.util.List;
import org.mailwarden.store.Aliases.Alias;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailwarden alias add|remove|list}: extra addresses that deliver to accounts. */
@Command(name = "alias", description = "Manage aliases: extra addresses that deliver to an account, which may also send as them.")
final class AliasCommand extends AdminGroup {

    AliasCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "add", description = "Make ALIAS deliver to ACCOUNT (add it again with another account for a small list).")
    int add(@Mixin ConfigOption config,
            @Parameters(index = "0", paramLabel = "ALIAS", description = "The alias address, in a local domain.") String alias,
            @Parameters(index = "1", paramLabel = "ACCOUNT", description = "The account it delivers to.") String account) {
        Alias a = admin(config, s -> s.addAlias(alias, account));
        out().println("added alias " + a.address() + " -> " + a.accountAddress());
        return 0;
    }

    @Command(name = "remove", description = "Remove an alias, or only its mapping to one account.")
    int remove(@Mixin ConfigOption config,
               @Parameters(index = "0", paramLabel = "ALIAS", description = "The alias address.") String alias,
               @Parameters(index = "1", arity = "0..1", paramLabel = "ACCOUNT", description = "Only the mapping to this account.") String account) {
        List<Alias> removed = admin(config, s -> s.removeAlias(alias, account));
        for (Alias a : removed) {
            out().println("removed alias " + a.address() + " -> " + a.accountAddress());
        }
        return 0;
    }

    @Command(name = "list", description = "List the aliases and the accounts they deliver to.")
    int list(@Mixin ConfigOption config) {
        Table table = new Table();
        for (Alias a : admin(config, s -> s.aliases())) {
            table.row(a.address(), "->", a.accountAddress());
        }
        table.print(out());
        return 0;
    }
}
