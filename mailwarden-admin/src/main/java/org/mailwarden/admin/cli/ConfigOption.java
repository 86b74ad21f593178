package org.mailwarden.admin.cli;

import java.nio.file.Path;
import org.mailwarden.admin.AdminException;
import org.mailwarden.core.config.ConfigException;
import org.mailwarden.core.config.ConfigLoader;
import org.mailwarden.core.config.ServerConfig;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every command shares, {@code serve} included. Without it, commands use
 * the embedded default ({@link ConfigLoader#defaults()}): SQLite with its data in {@code ./data}.
 */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The config file (TOML). Default: the embedded default, SQLite with data in ./data.")
    Path file;

    /** The config file given, or null for the embedded default. */
    public Path file() {
        return file;
    }

    /**
     * The configuration: the file's, or the embedded default.
     *
     * @throws AdminException of kind USAGE with one line per problem in the file
     */
    public ServerConfig load() {
        if (file == null) {
            return ConfigLoader.defaults();
        }
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new AdminException(AdminException.Kind.USAGE, String.join("\n", e.problems()), e);
        }
    }
}
