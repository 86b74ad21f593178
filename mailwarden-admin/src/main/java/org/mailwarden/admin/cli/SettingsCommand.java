package org.mailwarden.admin.cli;

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

    @Command(name = "set", description = "Set a setting.")
    int set(@Mixin ConfigOption config,
            @Parameters(index = "0", paramLabel = "KEY", description = "The setting.") String key,
            @Parameters(index = "1", paramLabel = "VALUE", description = "Its new value.") String value) {
        String k = admin(config, s -> s.setSetting(key, value));
        out().println(k + " = " + value);
        return 0;
    }

    @Command(name = "unset", description = "Remove a setting, so that its built-in default applies again.")
    int unset(@Mixin ConfigOption config, @Parameters(paramLabel = "KEY", description = "The setting.") String key) {
        String k = admin(config, s -> s.setSetting(key, null));
        out().println(k + " back to its default");
        return 0;
    }
}
