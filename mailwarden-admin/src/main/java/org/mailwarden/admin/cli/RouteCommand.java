package org.mailwarden.admin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailwarden.admin.AdminException;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import org.mailwarden.store.Routes.RouteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailwarden route ...}: where outbound mail goes instead of the recipient domain's MX. */
@Command(name = "route", description = "Manage outbound routing: per-domain routes, then the smarthost, else MX lookup.")
final class RouteCommand extends AdminGroup {

    RouteCommand(AdminEnvironment env) {
        super(env);
    }

    /** How to talk to a route's server: verified TLS, and AUTH credentials (the password from stdin). */
    static final class Delivery {
        @Option(names = "--require-verified-tls",
                description = "Deliver only over STARTTLS with a certificate that verifies for the host name.")
        boolean requireVerifiedTls;

        @Option(names = "--auth-user", paramLabel = "USER", description = "Log in with AUTH as USER (needs --auth-password-stdin).")
        String authUser;

        @Option(names = "--auth-password-stdin", description = "Read the AUTH password from the first line of standard input.")
        boolean passwordStdin;
    }

    @Command(name = "smarthost", description = "Send all outbound mail through HOST:PORT, or back to MX lookup with none.")
    int smarthost(@Mixin ConfigOption config, @Mixin Delivery delivery,
                  @Parameters(paramLabel = "HOST:PORT|none", description = "Such as 203.0.113.5:25, or none.") String target) {
        RouteOptions options = options(delivery, "route smarthost " + target);
        Optional<HostPort> set = admin(config, s -> s.setSmarthost(target, options));
        out().println(set.map(h -> "smarthost: " + h + describe(options)).orElse("smarthost: none (MX lookup)"));
        return 0;
    }

    @Command(name = "add", description = "Route mail for DOMAIN to HOST:PORT (replaces an existing route).")
    int add(@Mixin ConfigOption config, @Mixin Delivery delivery,
            @Parameters(index = "0", paramLabel = "DOMAIN", description = "The recipient domain.") String domain,
            @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Such as 127.0.0.1:2626.") String target) {
        RouteOptions options = options(delivery, "route add " + domain + " " + target);
        Route r = admin(config, s -> s.addRoute(domain, target, options));
        out().println("route " + r.domain() + " -> " + r.target() + describe(r.options()));
        return 0;
    }

    private RouteOptions options(Delivery d, String command) {
        if ((d.authUser != null) != d.passwordStdin) {
            throw AdminException.usage("--auth-user and --auth-password-stdin go together, such as: echo 'secret' | mailwarden "
                    + command + " --auth-user relay@isp.example --auth-password-stdin");
        }
        String password = d.passwordStdin ? PasswordInput.readLine(env.stdin(), command + " --auth-user " + d.authUser) : null;
        return new RouteOptions(d.requireVerifiedTls, d.authUser, password);
    }

    /** " (verified TLS, AUTH as USER)", or nothing for default options; never the password. */
    private static String describe(RouteOptions o) {
        String text = options(o);
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String options(RouteOptions o) {
        List<String> parts = new ArrayList<>();
        if (o.requireVerifiedTls()) {
            parts.add("verified TLS");
        }
        if (o.authenticates()) {
            parts.add("AUTH as " + o.authUser());
        }
        return String.join(", ", parts);
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
                table.row(r.domain(), r.target().toString(), options(r.options()));
            }
            table.row("*", s.smarthost().map(h -> "smarthost " + h).orElse("MX lookup"), options(s.smarthostOptions()));
            return null;
        });
        table.print(out());
        return 0;
    }
}
