package org.mailwarden.admin.cli;

import java.util.Optional;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailwarden route ...}: where outbound mail goes instead of the recipient domain's MX. */
@Command(name = "route", description = "Manage outbound routing: per-domain routes, then the smarthost, else MX lookup.")
final class RouteCommand extends AdminGroup {

    RouteCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "smarthost", description = "Send all outbound mail through HOST:PORT, or back to MX lookup with none.")
    int smarthost(@Mixin ConfigOption config,
                  @Parameters(paramLabel = "HOST:PORT|none", description = "Such as 203.0.113.5:25, or none.") String target) {
        Optional<HostPort> set = admin(config, s -> s.setSmarthost(target));
        out().println(set.map(h -> "smarthost: " + h).orElse("smarthost: none (MX lookup)"));
        return 0;
    }

    @Command(name = "add", description = "Route mail for DOMAIN to HOST:PORT (replaces an existing route).")
    int add(@Mixin ConfigOption config,
            @Parameters(index = "0", paramLabel = "DOMAIN", description = "The recipient domain.") String domain,
            @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Such as 127.0.0.1:2626.") String target) {
        Route r = admin(config, s -> s.addRoute(domain, target));
        out().println("route " + r.domain() + " -> " + r.target());
        return 0;
    }

    @Command(name = "remove", description = "Remove the route for DOMAIN.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN", description = "The recipient domain.") String domain) {
        out().println("removed the route for " + admin(config, s -> s.removeRoute(domain)).domain());
        return 0;
    }

    @Command(name = "list", description = "List the routes; the last line says where all other mail goes.")
    int list(@Mixin ConfigOption config) {
        Table table = new Table();
        admin(config, s -> {
            for (Route r : s.routes()) {
                table.row(r.domain(), r.target().toString());
            }
            table.row("*", s.smarthost().map(h -> "smarthost " + h).orElse("MX lookup"));
            return null;
        });
        table.print(out());
        return 0;
    }
}
