package org.mailwarden.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.admin.cli.CliRunner.Result;

/** {@code mailwarden admin token}: prints the one token of the data directory, creating it when needed. */
class AdminTokenCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheSameTokenEveryTimeFromAPrivateFile() throws Exception {
        Path config = dir.resolve("mailwarden.toml");
        Files.writeString(config, "data_dir = \"" + dir.resolve("data") + "\"\n");
        CliRunner cli = new CliRunner(config);

        Result first = cli.run("admin", "token");
        assertThat(first.err()).isEmpty();
        assertThat(first.status()).isZero();
        assertThat(first.out()).matches("mwa_[A-Za-z0-9_-]{43}\n");
        assertThat(cli.run("admin", "token").out()).isEqualTo(first.out());

        Path file = dir.resolve("data/admin.token");
        assertThat(Files.readString(file)).isEqualTo(first.out());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aBrokenTokenFileIsOneLineOnStderr() throws Exception {
        Path config = dir.resolve("mailwarden.toml");
        Files.writeString(config, "data_dir = \"" + dir + "\"\n");
        Files.writeString(dir.resolve("admin.token"), "short\n");
        Result r = new CliRunner(config).run("admin", "token");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("mailwarden: " + dir.resolve("admin.token") + " does not hold a usable admin token"
                + " (32 to 256 printable ASCII characters); delete it and a new one is made at the next start\n");
    }
}
