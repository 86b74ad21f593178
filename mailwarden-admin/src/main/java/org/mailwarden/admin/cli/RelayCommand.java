package org.mailwarden.admin.cli;

import org.mailwarden.admin.RelayPolicyText;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules.ListKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code mailwarden relay ...}: the four relay rules and the relay mode. */
@Command(name = "relay", description = "Show and change who may relay mail through this server.")
final class RelayCommand extends AdminGroup {

    /** The two words of {@code relay auth}. */
    enum OnOff { on, off }

    RelayCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "show", description = "Print the relay policy as it is applied, one rule a line.")
    int show(@Mixin ConfigOption config) {
        RelayPolicyText.lines(admin(config, s -> s.relayRules())).forEach(out()::println);
        return 0;
    }

    @Command(name = "auth", description = "Rule 1: whether clients that log in may relay (on by default).")
    int auth(@Mixin ConfigOption config, @Parameters(paramLabel = "on|off", description = "on or off") OnOff value) {
        boolean on = value == OnOff.on;
        adminDo(config, s -> s.setAuthenticatedMayRelay(on));
        out().println(on ? "rule 1 on: clients that log in may relay" : "rule 1 off: logging in does not let a client relay");
        return 0;
    }

    @Command(name = "allow", description = "Rule 2: let clients with this address or in this subnet relay.")
    int allow(@Mixin ConfigOption config, @Parameters(paramLabel = "CIDR", description = "Such as 192.0.2.0/24.") String cidr) {
        return add(config, ListKind.ALLOW, cidr);
    }

    @Command(name = "listener", description = "Rule 3: let every client connecting to this local address relay.")
    int listener(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDR", description = "A local address, such as 192.0.2.1.") String address) {
        return add(config, ListKind.LISTENER, address);
    }

    @Command(name = "deny", description = "Rule 4: never let clients with this address or in this subnet relay.")
    int deny(@Mixin ConfigOption config, @Parameters(paramLabel = "CIDR", description = "Such as 198.51.100.0/24.") String cidr) {
        return add(config, ListKind.DENY, cidr);
    }

    @Command(name = "remove", description = "Remove an address or subnet from the allow, listener or deny list.")
    int remove(@Mixin ConfigOption config,
               @Option(names = "--list", paramLabel = "allow|listener|deny", converter = ListKindConverter.class,
                       description = "The list to remove it from (needed only when it is in more than one).") ListKind list,
               @Parameters(paramLabel = "CIDR", description = "The address or subnet.") String cidr) {
        if (list == null) {
            ListKind from = admin(config, s -> s.removeRelayRange(cidr));
            out().println("removed " + IpRange.parse(cidr) + " from the " + from.word() + " list");
        } else {
            IpRange range = admin(config, s -> s.removeRelayRange(list, cidr));
            out().println("removed " + range + " from the " + list.word() + " list");
        }
        return 0;
    }

    @Command(name = "mode", description = "restricted: apply the four rules; local-only: accept mail for local domains only, never relay.")
    int mode(@Mixin ConfigOption config, @Parameters(paramLabel = "restricted|local-only", description = "The mode.") String mode) {
        RelayMode m = admin(config, s -> s.setRelayMode(mode));
        out().println("relay mode: " + m.word());
        return 0;
    }

    private int add(ConfigOption config, ListKind list, String cidr) {
        IpRange range = admin(config, s -> s.addRelayRange(list, cidr));
        out().println("added " + range + " to the " + list.word() + " list");
        return 0;
    }

    /** Converts allow, listener or deny; anything else is a usage error. */
    static final class ListKindConverter implements ITypeConverter<ListKind> {
        @Override
        public ListKind convert(String value) {
            try {
                return ListKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a relay list; expected allow, listener or deny");
            }
        }
    }
}
