package org.mailwarden.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.admin.cli.AdminCliContractTest.assertFails;
import static org.mailwarden.admin.cli.AdminCliContractTest.assertOk;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.store.Routes.RouteOptions;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/** {@code route add|smarthost --require-verified-tls --auth-user USER --auth-password-stdin}. */
class RouteOptionsCommandTest {

    @TempDir
    Path dataDir;

    private CliRunner cli() throws Exception {
        Path config = dataDir.resolve("mailwarden.toml");
        Files.writeString(config, "data_dir = \"" + dataDir + "\"\n");
        return new CliRunner(config);
    }

    @Test
    void theSmarthostKeepsItsCredentialsAndNeverShowsThePassword() throws Exception {
        CliRunner cli = cli();
        assertOk(cli.runWithStdin("s3cret pass\n", "route", "smarthost", "127.0.0.1:587", "--require-verified-tls",
                "--auth-user", "relay@isp.test", "--auth-password-stdin"),
                "smarthost: 127.0.0.1:587 (verified TLS, AUTH as relay@isp.test)\n");
        assertOk(cli.run("route", "add", "partner.test", "127.0.0.1:2626", "--require-verified-tls"),
                "route partner.test -> 127.0.0.1:2626 (verified TLS)\n");
        assertOk(cli.run("route", "list"), """
                partner.test  127.0.0.1:2626           verified TLS
                *             smarthost 127.0.0.1:587  verified TLS, AUTH as relay@isp.test
                """);
        try (Store store = Stores.open(StorageConfig.sqlite(dataDir))) {
            assertThat(store.routes().smarthostOptions()).contains(new RouteOptions(true, "relay@isp.test", "s3cret pass"));
        }
        assertOk(cli.run("route", "smarthost", "127.0.0.1:25"), "smarthost: 127.0.0.1:25\n");
        try (Store store = Stores.open(StorageConfig.sqlite(dataDir))) {
            assertThat(store.routes().smarthostOptions()).contains(RouteOptions.NONE);
        }
    }

    @Test
    void credentialMistakesAreUsageErrors() throws Exception {
        CliRunner cli = cli();
        assertFails(cli.run("route", "smarthost", "127.0.0.1:587", "--auth-user", "u"), 2,
                "mailwarden: --auth-user and --auth-password-stdin go together, such as: echo 'secret' | mailwarden route"
                        + " smarthost 127.0.0.1:587 --auth-user relay@isp.example --auth-password-stdin\n");
        assertFails(cli.runWithStdin("\n", "route", "smarthost", "127.0.0.1:587", "--auth-user", "u", "--auth-password-stdin"),
                1, "mailwarden: the password on stdin is empty; pipe one in, such as: echo 'secret' | mailwarden route"
                        + " smarthost 127.0.0.1:587 --auth-user u --password-stdin\n");
        assertFails(cli.run("route", "smarthost", "none", "--require-verified-tls"), 2,
                "mailwarden: --require-verified-tls and --auth-user need a smarthost, not none\n");
    }
}
