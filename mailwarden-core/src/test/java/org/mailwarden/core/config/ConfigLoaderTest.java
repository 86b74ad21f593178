package org.mailwarden.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.net.ConnectionLimits;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("mailwarden.toml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** The problems reported for a file with these lines, with the file name stripped to "F". */
    private List<String> problems(String... lines) throws IOException {
        Path file = write(lines);
        try {
            ConfigLoader.load(file);
        } catch (ConfigException e) {
            assertThat(e.getMessage().lines().toList()).isEqualTo(e.problems());
            return e.problems().stream().map(p -> p.replace(file.toString(), "F")).toList();
        }
        throw new AssertionError("no ConfigException");
    }

    @Test
    void readsTheArchitectureExample() throws Exception {
        Path file = write(
                "hostname = \"mx.example.test\"",
                "data_dir = \"./data\"",
                "",
                "[listen]",
                "smtp        = [\"127.0.0.1:2525\"]    # MTA, port 25 in production",
                "submission  = [\"127.0.0.1:2587\"]",
                "submissions = [\"127.0.0.1:2465\"]",
                "pop3        = [\"127.0.0.1:2110\"]",
                "pop3s       = [\"127.0.0.1:2995\"]",
                "imap        = [\"127.0.0.1:2143\", \"[::1]:2143\"]",
                "imaps       = [\"127.0.0.1:2993\"]",
                "admin       = [\"127.0.0.1:8080\"]",
                "",
                "[tls]",
                "cert = \"cert.pem\"",
                "key  = \"key.pem\"",
                "",
                "[storage]",
                "backend = \"sqlite\"");
        ServerConfig config = ConfigLoader.load(file);
        assertThat(config.hostname()).isEqualTo("mx.example.test");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.listeners(ListenerRole.SMTP)).containsExactly(new ListenAddress("127.0.0.1", 2525));
        assertThat(config.listeners(ListenerRole.IMAP))
                .containsExactly(new ListenAddress("127.0.0.1", 2143), new ListenAddress("::1", 2143));
        assertThat(config.listeners(ListenerRole.IMAP).get(1)).hasToString("[::1]:2143");
        assertThat(config.tls()).isEqualTo(new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem")));
        assertThat(config.storage()).isEqualTo(StorageConfig.sqlite(dir.resolve("data")));
        assertThat(config.limits()).isEqualTo(ConnectionLimits.DEFAULT);
        assertThat(config.tmpDir()).isEqualTo(dir.resolve("data/tmp"));
    }

    @Test
    void relativePathsAreRelativeToTheConfigFileNotTheWorkingDirectory() throws Exception {
        Path file = write("data_dir = \"../var/mail\"", "[tls]", "cert = \"/etc/ssl/mx.pem\"", "key = \"keys/mx.key\"");
        ServerConfig config = ConfigLoader.load(file);
        assertThat(config.dataDir()).isEqualTo(dir.getParent().resolve("var/mail"));
        assertThat(config.tls().cert()).isEqualTo(Path.of("/etc/ssl/mx.pem"));
        assertThat(config.tls().key()).isEqualTo(dir.resolve("keys/mx.key"));
    }

    @Test
    void anEmptyFileMeansDefaultsBesideTheFile() throws Exception {
        ServerConfig config = ConfigLoader.load(write(""));
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.tls()).isEqualTo(new TlsFiles(dir.resolve("data/tls/cert.pem"), dir.resolve("data/tls/key.pem")));
        for (ListenerRole role : ListenerRole.values()) {
            assertThat(config.listeners(role)).containsExactly(new ListenAddress("127.0.0.1", role.defaultPort()));
        }
        assertThat(config.hostname()).isNotBlank();
    }

    @Test
    void aListenTableServesOnlyTheRolesItLists() throws Exception {
        ServerConfig config = ConfigLoader.load(write("[listen]", "smtp = [\"0.0.0.0:25\"]", "imap = []"));
        assertThat(config.listeners()).containsOnlyKeys(ListenerRole.SMTP);
        assertThat(config.listeners(ListenerRole.IMAP)).isEmpty();
    }

    @Test
    void defaultsWithoutAFile() {
        ServerConfig config = ConfigLoader.defaults();
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.listeners(ListenerRole.SUBMISSIONS)).containsExactly(new ListenAddress("127.0.0.1", 2465));
        assertThat(config.listeners(ListenerRole.ADMIN)).containsExactly(new ListenAddress("127.0.0.1", 8080));
        assertThat(config.tls().key()).isEqualTo(Path.of("data/tls/key.pem").toAbsolutePath());
        assertThat(config.storage().backend()).isEqualTo(StorageConfig.Backend.SQLITE);
        assertThat(config.hostname()).matches("[a-z0-9.-]+");
    }

    @Test
    void postgresql() throws Exception {
        ServerConfig config = ConfigLoader.load(write("[storage]", "backend = \"postgresql\"",
                "url = \"jdbc:postgresql://db:5432/mw\"", "user = \"mw\"", "password = \"pw\""));
        assertThat(config.storage()).isEqualTo(
                StorageConfig.postgresql(dir.resolve("data"), "jdbc:postgresql://db:5432/mw", "mw", "pw"));
    }

    @Test
    void limits() throws Exception {
        ServerConfig config = ConfigLoader.load(write("[limits]", "max_connections = 50", "max_connections_per_ip = 5"));
        assertThat(config.limits()).isEqualTo(new ConnectionLimits(50, 5));
    }

    @Test
    void trustedProxies() throws Exception {
        ServerConfig config = ConfigLoader.load(write("[proxy]", "trusted = [\"10.0.0.0/8\", \"2001:db8::7\"]"));
        assertThat(config.proxyProtocolFrom()).containsExactly(
                org.mailwarden.core.policy.IpRange.parse("10.0.0.0/8"), org.mailwarden.core.policy.IpRange.parse("2001:db8::7"));
        assertThat(ConfigLoader.defaults().proxyProtocolFrom()).isEmpty();
    }

    @Test
    void badTrustedProxies() throws Exception {
        assertThat(problems("[proxy]", "trusted = [\"10.0.0.0/33\",", "  \"lb.example.test\", 7]")).containsExactly(
                "F:2: proxy.trusted: '10.0.0.0/33': prefix length must be from 0 to 32 for an IPv4 address"
                        + " (write trusted = [\"10.0.0.0/8\"])",
                "F:3: proxy.trusted: 'lb.example.test' is not an IP address or CIDR subnet (examples: 192.0.2.7,"
                        + " 192.0.2.0/24, 2001:db8::/32) (write trusted = [\"10.0.0.0/8\"])",
                "F:3: proxy.trusted: expected address strings, found an integer (write trusted = [\"10.0.0.0/8\"])");
        assertThat(problems("[proxy]", "trusted = \"10.0.0.1\"")).containsExactly(
                "F:2: proxy.trusted: expected an array of strings, found a string (write trusted = [\"10.0.0.0/8\"])");
    }

    @Test
    void portOutOfRange() throws Exception {
        assertThat(problems("", "", "", "", "", "[listen]", "smtp = [\"127.0.0.1:99999\"]")).containsExactly(
                "F:7: listen.smtp: \"127.0.0.1:99999\" is not a valid listen address: port must be 1-65535"
                        + " (write \"host:port\", e.g. \"127.0.0.1:2525\")");
    }

    @Test
    void badListenAddresses() throws Exception {
        assertThat(problems("[listen]",
                "smtp = [\"127.0.0.1\"]",
                "submission = [\"::1:2587\"]",
                "submissions = [\"[::g]:2465\"]",
                "pop3 = [\"300.1.2.3:2110\"]",
                "pop3s = [\":2995\"]",
                "imap = [\"127.0.0.1:0\"]",
                "imaps = [\"mail_host:2993\"]",
                "admin = [\"127.0.0.1:http\"]")).containsExactly(
                "F:2: listen.smtp: \"127.0.0.1\" is not a valid listen address: missing port"
                        + " (write \"host:port\", e.g. \"127.0.0.1:2525\")",
                "F:3: listen.submission: \"::1:2587\" is not a valid listen address: an IPv6 address goes in"
                        + " brackets, e.g. \"[::1]:2525\" (write \"host:port\", e.g. \"127.0.0.1:2587\")",
                "F:4: listen.submissions: \"[::g]:2465\" is not a valid listen address: '::g' is not an IPv6"
                        + " address (write \"host:port\", e.g. \"127.0.0.1:2465\")",
                "F:5: listen.pop3: \"300.1.2.3:2110\" is not a valid listen address: '300.1.2.3' is not an IPv4"
                        + " address (write \"host:port\", e.g. \"127.0.0.1:2110\")",
                "F:6: listen.pop3s: \":2995\" is not a valid listen address: missing host (use 0.0.0.0 for all"
                        + " IPv4 addresses) (write \"host:port\", e.g. \"127.0.0.1:2995\")",
                "F:7: listen.imap: \"127.0.0.1:0\" is not a valid listen address: port must be 1-65535"
                        + " (write \"host:port\", e.g. \"127.0.0.1:2143\")",
                "F:8: listen.imaps: \"mail_host:2993\" is not a valid listen address: 'mail_host' is not an IP"
                        + " address or host name (write \"host:port\", e.g. \"127.0.0.1:2993\")",
                "F:9: listen.admin: \"127.0.0.1:http\" is not a valid listen address: port must be 1-65535"
                        + " (write \"host:port\", e.g. \"127.0.0.1:8080\")");
    }

    @Test
    void sameAddressForTwoRoles() throws Exception {
        assertThat(problems("[listen]", "smtp = [\"127.0.0.1:2525\"]", "imap = [\"127.0.0.1:2143\",",
                "  # the same as smtp", "", "  \"127.0.0.1:2525\"]")).containsExactly(
                "F:6: listen.imap: \"127.0.0.1:2525\" is already used by listen.smtp"
                        + " (give each listener its own address or port)");
    }

    @Test
    void unknownKeysSuggestTheClosestKnownKey() throws Exception {
        assertThat(problems("hostnme = \"mx.example.test\"", "smtp = [\"127.0.0.1:25\"]", "colour = \"blue\"",
                "[listen]", "smpt = [\"127.0.0.1:2525\"]", "[listener]", "x = 1")).containsExactly(
                "F:1: hostnme: unknown key (did you mean \"hostname\"?)",
                "F:2: smtp: unknown key (it belongs in the [listen] table)",
                "F:3: colour: unknown key (known keys here: hostname, data_dir, listen, tls, storage, limits, proxy)",
                "F:5: listen.smpt: unknown key (did you mean \"smtp\"?)",
                "F:6: listener: unknown key (did you mean \"listen\"?)");
    }

    @Test
    void wrongTypes() throws Exception {
        assertThat(problems("hostname = 42", "data_dir = [\"a\"]", "tls = \"cert.pem\"",
                "[listen]", "smtp = \"127.0.0.1:2525\"", "imap = [2143]",
                "[limits]", "max_connections = \"many\"")).containsExactly(
                "F:1: hostname: expected a string, found an integer (write hostname = \"mx.example.test\")",
                "F:2: data_dir: expected a string, found an array (write data_dir = \"./data\")",
                "F:3: tls: expected a table, found a string (write [tls])",
                "F:5: listen.smtp: expected an array of \"host:port\" strings, found a string"
                        + " (write smtp = [\"127.0.0.1:2525\"])",
                "F:6: listen.imap: expected \"host:port\" strings, found an integer (write imap = [\"127.0.0.1:2143\"])",
                "F:8: limits.max_connections: expected an integer, found a string (write max_connections = 1000)");
    }

    @Test
    void badHostname() throws Exception {
        assertThat(problems("hostname = \"mx_1.example.test\"")).containsExactly(
                "F:1: hostname: \"mx_1.example.test\" is not a valid host name (write a fully qualified name of"
                        + " letters, digits, hyphens and dots, e.g. hostname = \"mx.example.test\")");
    }

    @Test
    void unknownBackend() throws Exception {
        assertThat(problems("[storage]", "backend = \"postgres\"")).containsExactly(
                "F:2: storage.backend: \"postgres\" is not a storage backend (did you mean \"postgresql\"?"
                        + " write backend = \"sqlite\" or backend = \"postgresql\")");
        assertThat(problems("[storage]", "backend = \"mysql\"")).containsExactly(
                "F:2: storage.backend: \"mysql\" is not a storage backend"
                        + " (write backend = \"sqlite\" or backend = \"postgresql\")");
    }

    @Test
    void postgresqlWithoutUrl() throws Exception {
        assertThat(problems("[storage]", "", "backend = \"postgresql\"", "user = \"mw\"")).containsExactly(
                "F:3: storage.url: missing; backend = \"postgresql\" needs the database's JDBC URL"
                        + " (add url = \"jdbc:postgresql://db.example.test:5432/mailwarden\")");
        assertThat(problems("[storage]", "backend = \"postgresql\"", "url = \"postgres://db/mw\"")).containsExactly(
                "F:3: storage.url: \"postgres://db/mw\" is not a PostgreSQL JDBC URL"
                        + " (write url = \"jdbc:postgresql://db.example.test:5432/mailwarden\")");
    }

    @Test
    void postgresqlSettingsWithSqlite() throws Exception {
        assertThat(problems("[storage]", "url = \"jdbc:postgresql://db/mw\"")).containsExactly(
                "F:2: storage.url: only used with backend = \"postgresql\" (remove it, or set backend = \"postgresql\")");
    }

    @Test
    void halfATlsPair() throws Exception {
        assertThat(problems("[tls]", "cert = \"cert.pem\"")).containsExactly(
                "F:1: tls.key: missing; the certificate and its key go together (add key = \"key.pem\","
                        + " or remove the other one to use the defaults under data_dir)");
    }

    @Test
    void limitsOutOfRange() throws Exception {
        assertThat(problems("[limits]", "max_connections = 0", "max_connections_per_ip = 5000000")).containsExactly(
                "F:2: limits.max_connections: 0 is out of range: must be 1-1000000 (write max_connections = 1000)",
                "F:3: limits.max_connections_per_ip: 5000000 is out of range: must be 1-1000000"
                        + " (write max_connections_per_ip = 20)");
        assertThat(problems("[limits]", "max_connections = 10", "max_connections_per_ip = 50")).containsExactly(
                "F:3: limits.max_connections_per_ip: 50 is more than max_connections (10)"
                        + " (lower it, or raise max_connections)");
    }

    @Test
    void tomlSyntaxError() throws Exception {
        assertThat(problems("hostname = \"mx.example.test\"", "data_dir = ./data")).containsExactly(
                "F:2: data_dir: invalid TOML at column 12: Unexpected '.', expected ', \", ''', \"\"\", a number, a boolean,"
                        + " a date/time, an array, or a table (fix the syntax; values are written key = \"text\","
                        + " key = 123 or key = [\"a\", \"b\"])");
        assertThat(problems("[listen", "smtp = []")).hasSize(1).first().asString().startsWith("F:1: invalid TOML at column 8:");
    }

    @Test
    void allProblemsAreReportedInFileOrder() throws Exception {
        assertThat(problems("hostname = 1", "[storage]", "backend = \"oracle\"", "[listen]",
                "smtp = [\"127.0.0.1:99999\"]")).hasSize(3)
                .satisfies(p -> assertThat(p.get(0)).startsWith("F:1: hostname:"))
                .satisfies(p -> assertThat(p.get(1)).startsWith("F:3: storage.backend:"))
                .satisfies(p -> assertThat(p.get(2)).startsWith("F:5: listen.smtp:"));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class).hasMessage(
                file + ": cannot read the configuration file: no such file (check the path, or omit --config to run"
                        + " with the defaults)");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir)).hasMessage(
                dir + ": cannot read the configuration file: it is a directory (give the path of the .toml file)");
    }

    @Test
    void notUtf8() throws Exception {
        Path file = dir.resolve("latin1.toml");
        Files.write(file, new byte[] {'h', '=', '"', (byte) 0xE9, '"'});
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(
                file + ": cannot read the configuration file: it is not UTF-8 text (save it as UTF-8)");
    }

    @Test
    void unreadableFile() throws Exception {
        Path file = write("hostname = \"a.test\"");
        Files.setPosixFilePermissions(file, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(
                file + ": cannot read the configuration file: permission denied (make it readable by the user"
                        + " running mailwarden)");
    }
}
