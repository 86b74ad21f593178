package org.mailwarden.admin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mailwarden.admin.AdminException;
import org.mailwarden.core.config.StorageConfig;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every command shares. Without it, commands use the embedded default:
 * SQLite with its data in {@code ./data}, the same store {@code serve} opens by default.
 */
public final class ConfigOption {

    /** Where the embedded default keeps its data, relative to the current directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    @Option(names = "--config", paramLabel = "FILE",
            description = "The config file (TOML). Default: the embedded default, SQLite with data in ./data.")
    Path file;

    /** The config file given, or null for the embedded default. */
    public Path file() {
        return file;
    }

    /** The storage section of the config file, or the embedded default. */
    public StorageConfig storage() {
        if (file == null) {
            return StorageConfig.sqlite(DEFAULT_DATA_DIR);
        }
        if (!Files.isRegularFile(file)) {
            throw AdminException.usage("config file " + file + " does not exist");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (java.io.IOException e) {
            throw new AdminException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            var error = toml.errors().get(0);
            throw AdminException.usage(file + ": " + error);
        }
        Path dataDir = Path.of(toml.getString("data_dir", () -> DEFAULT_DATA_DIR.toString()));
        String backend = toml.getString("storage.backend", () -> "sqlite").toLowerCase(Locale.ROOT);
        return switch (backend) {
            case "sqlite" -> StorageConfig.sqlite(dataDir);
            case "postgresql" -> {
                String url = toml.getString("storage.url");
                if (url == null) {
                    throw AdminException.usage(file + ": [storage] backend = \"postgresql\" needs url = \"jdbc:postgresql://HOST/DB\"");
                }
                yield StorageConfig.postgresql(dataDir, url, toml.getString("storage.user"), toml.getString("storage.password"));
            }
            default -> throw AdminException.usage(file + ": [storage] backend must be \"sqlite\" or \"postgresql\", not \"" + backend + "\"");
        };
    }
}
