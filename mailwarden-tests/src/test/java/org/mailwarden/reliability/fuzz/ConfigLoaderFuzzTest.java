package org.mailwarden.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mailwarden.core.config.ConfigException;
import org.mailwarden.core.config.ConfigLoader;
import org.mailwarden.core.config.ServerConfig;

/**
 * Jazzer target for the config loader on arbitrary files (random TOML): it either returns a complete
 * configuration with absolute paths, or refuses with problems that are each one line naming the file,
 * as the README promises an administrator. Any other exception (a parser crash, a stack overflow on
 * deeply nested tables) is a finding. The input is the file's content.
 */
class ConfigLoaderFuzzTest {

    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = "30s")
    void configLoader(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            ServerConfig config = ConfigLoader.load(FILE);
            assertThat(config.dataDir().isAbsolute()).isTrue();
            assertThat(config.tls().cert().isAbsolute()).isTrue();
            assertThat(config.tls().key().isAbsolute()).isTrue();
            assertThat(config.hostname()).isNotBlank().doesNotContain("\r", "\n", " ");
            config.listeners().values().forEach(list -> list.forEach(a -> assertThat(a.port()).isBetween(0, 65535)));
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem)
                    .startsWith(FILE + ":").doesNotContain("\n", "\r"));
        }
    }

    private static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("mailwarden-config-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("mailwarden.toml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
