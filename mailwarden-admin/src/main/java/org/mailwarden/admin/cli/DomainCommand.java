package org.mailwarden.admin.cli;

import java.util.List;
import org.mailwarden.admin.AdminException;
import org.mailwarden.store.Domains.Domain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailwarden domain add|remove|list|short}: the local domains. */
@Command(name = "domain", description = "Manage the local domains (mail for them is delivered here).")
final class DomainCommand extends AdminGroup {

    DomainCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "add", description = "Add a local domain.")
    int add(@Mixin ConfigOption config,
            @Parameters(paramLabel = "NAME", description = "The domain, such as example.test.") String name,
            @Option(names = "--short", paramLabel = "SHORT",
                    description = "A short login name: SHORT\\alice then logs in as alice@NAME.") String shortName) {
        Domain d = admin(config, s -> s.addDomain(name, shortName));
        out().println("added domain " + d.name() + (d.shortName() == null ? "" : " (short name " + d.shortName() + ")"));
        return 0;
    }

    @Command(name = "remove", description = "Remove a local domain that has no users or aliases left.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "NAME", description = "The domain.") String name) {
        out().println("removed domain " + admin(config, s -> s.removeDomain(name)));
        return 0;
    }

    @Command(name = "list", description = "List the local domains and their short names.")
    int list(@Mixin ConfigOption config) {
        List<Domain> domains = admin(config, s -> s.domains());
        Table table = new Table();
        for (Domain d : domains) {
            table.row(d.name(), d.shortName() == null ? "" : d.shortName());
        }
        table.print(out());
        return 0;
    }

    @Command(name = "short", description = "Set or clear the short login name of a domain.")
    int setShort(@Mixin ConfigOption config,
                 @Parameters(index = "0", paramLabel = "NAME", description = "The domain.") String name,
                 @Parameters(index = "1", arity = "0..1", paramLabel = "SHORT", description = "The short name, such as EXAMPLE.") String shortName,
                 @Option(names = "--clear", description = "Remove the short name.") boolean clear) {
        if ((shortName == null) == !clear) {
            throw AdminException.usage("give either a short name or --clear, such as: mailwarden domain short "
                    + name + " EXAMPLE");
        }
        Domain d = admin(config, s -> s.setShortName(name, clear ? null : shortName));
        out().println("domain " + d.name() + ": " + (d.shortName() == null ? "short name cleared" : "short name " + d.shortName()));
        return 0;
    }
}
