package org.mailwarden.admin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailwarden.admin.AdminException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailwarden settings list|get|set|unset}: runtime limits and switches kept in the store. */
@Command(name = "settings", description = "Show and change runtime settings (limits, timeouts, switches).")
final class SettingsCommand extends AdminGroup {

    SettingsCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "list", description = "List the settings that have a value (all others use their default).")
    int list(@Mixin ConfigOption config) {
        Map<String, String> all = admin(config, s -> s.settings());
        all.forEach((k, v) -> out().println(k + " = " + v));
        return 0;
    }

    @Command(name = "get", description = "Print the value of a setting.")
    int get(@Mixin ConfigOption config, @Parameters(paramLabel = "KEY", description = "The setting, such as smtp.max_message_size.") String key) {
        String value = admin(config, s -> s.setting(key))
                .orElseThrow(() -> new AdminException("setting " + key.strip() + " is not set; its built-in default applies"));
        out().println(value);
        return 0;
    }

    @Command(name = "set", description = "Set a setting; more KEY VALUE pairs set more, all checked before any is set.")
    int set(@Mixin ConfigOption config,
            @Parameters(index = "0", paramLabel = "KEY", description = "The setting.") String key,
            @Parameters(index = "1", paramLabel = "VALUE", description = "Its new value.") String value,
            @Parameters(index = "2..*", arity = "0..*", paramLabel = "KEY VALUE",
                    description = "More settings and their values.") List<String> more) {
        List<String> rest = more == null ? List.of() : more;
        if (rest.size() % 2 != 0) {
            throw AdminException.usage("setting " + rest.getLast().strip() + " has no value; give KEY VALUE pairs, such as:"
                    + " mailwarden settings set pop3.allow_plaintext on imap.allow_plaintext on");
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        pairs.add(Map.entry(key, value));
        for (int i = 0; i < rest.size(); i += 2) {
            pairs.add(Map.entry(rest.get(i), rest.get(i + 1)));
        }
        List<String> keys = admin(config, s -> s.setSettings(pairs));
        for (int i = 0; i < keys.size(); i++) {
            out().println(keys.get(i) + " = " + pairs.get(i).getValue());
        }
        return 0;
    }

    @Command(name = "unset", description = "Remove a setting, so that its built-in default applies again.")
    int unset(@Mixin ConfigOption config, @Parameters(paramLabel = "KEY", description = "The setting.") String key) {
        String k = admin(config, s -> s.setSetting(key, null));
        out().println(k + " back to its default");
        return 0;
    }
}
