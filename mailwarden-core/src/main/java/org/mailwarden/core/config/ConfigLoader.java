package org.mailwarden.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwarden.core.net.ConnectionLimits;

/**
 * Reads the TOML config file into a {@link ServerConfig}, or supplies the defaults when there is none.
 *
 * <p>The file holds only how the process starts; its keys are:
 * <pre>
 * hostname = "mx.example.test"     # default: this machine's canonical host name, else "localhost"
 * data_dir = "./data"              # default: "data" next to the config file
 *
 * [listen]                         # when present, only the roles listed here are served
 * smtp        = ["127.0.0.1:2525"] # also submission, submissions, pop3, pop3s, imap, imaps, admin;
 *                                  # IPv6 as "[::1]:2525"
 * [tls]
 * cert = "cert.pem"                # default: &lt;data_dir&gt;/tls/cert.pem and key.pem,
 * key  = "key.pem"                 # generated self-signed when both are absent
 *
 * [storage]
 * backend  = "sqlite"              # or "postgresql", which needs url (and usually user, password)
 * url      = "jdbc:postgresql://db.example.test:5432/mailwarden"
 *
 * [limits]
 * max_connections        = 1000
 * max_connections_per_ip = 20
 *
 * [proxy]                          # load balancers that send a PROXY protocol (v1/v2) header
 * trusted = ["10.0.0.0/8"]         # default: none
 * </pre>
 * <b>Relative paths</b> ({@code data_dir}, {@code tls.cert}, {@code tls.key}) are relative to the directory
 * of the config file, not to the working directory, so the server finds the same files however it is
 * started. Every problem in the file is reported at once, one line each, by a {@link ConfigException}.
 */
public final class ConfigLoader {

    /** Config files are small; anything bigger is the wrong file, and we never read unbounded input. */
    static final long MAX_FILE_SIZE = 1024 * 1024;

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}; every problem (missing or unreadable file, TOML syntax, unknown keys, wrong types,
     * bad values) is reported with its line in one {@link ConfigException}.
     */
    public static ServerConfig load(Path file) throws ConfigException {
        String display = file.toString();
        String text = read(file, display);
        Path base = file.toAbsolutePath().normalize().getParent();
        return new TomlConfigReader(display, base, ConfigLoader::machineHostname).read(text);
    }

    /**
     * The configuration used when no file is given: this machine's host name, data in {@code ./data}
     * (relative to the working directory), every listener on 127.0.0.1 at its unprivileged port, TLS files
     * under {@code ./data/tls}, embedded SQLite storage and the default connection limits.
     */
    public static ServerConfig defaults() {
        return defaults(machineHostname(), Path.of("data").toAbsolutePath().normalize());
    }

    static ServerConfig defaults(String hostname, Path dataDir) {
        return new ServerConfig(hostname, dataDir, defaultListeners(), defaultTls(dataDir),
                StorageConfig.sqlite(dataDir), ConnectionLimits.DEFAULT);
    }

    static Map<ListenerRole, List<ListenAddress>> defaultListeners() {
        Map<ListenerRole, List<ListenAddress>> listeners = new EnumMap<>(ListenerRole.class);
        for (ListenerRole role : ListenerRole.values()) {
            listeners.put(role, List.of(new ListenAddress("127.0.0.1", role.defaultPort())));
        }
        return listeners;
    }

    static TlsFiles defaultTls(Path dataDir) {
        Path dir = dataDir.resolve("tls");
        return new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    }

    /** This machine's canonical host name, or "localhost" when it has none that is a valid domain name. */
    static String machineHostname() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            for (String name : List.of(local.getCanonicalHostName(), local.getHostName())) {
                String lower = name.toLowerCase(Locale.ROOT);
                // an unresolvable name comes back as an address literal, which is no use in a greeting
                if (TomlConfigReader.isHostName(lower) && !lower.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                    return lower;
                }
            }
        } catch (IOException | SecurityException e) {
            // fall through to the safe default
        }
        return "localhost";
    }

    private static String read(Path file, String display) throws ConfigException {
        String prefix = display + ": cannot read the configuration file: ";
        try {
            if (Files.isDirectory(file)) {
                throw problem(prefix + "it is a directory (give the path of the .toml file)");
            }
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw problem(prefix + "it is larger than 1 MiB (give the path of the mailwarden .toml file)");
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw problem(prefix + "no such file (check the path, or omit --config to run with the defaults)");
        } catch (AccessDeniedException e) {
            throw problem(prefix + "permission denied (make it readable by the user running mailwarden)");
        } catch (CharacterCodingException e) {
            throw problem(prefix + "it is not UTF-8 text (save it as UTF-8)");
        } catch (IOException e) {
            throw problem(prefix + e.getMessage() + " (check the path and the file's permissions)");
        }
    }

    private static ConfigException problem(String line) {
        return new ConfigException(List.of(line));
    }
}
