package org.mailwarden.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.admin.AdminException;

/** The admin token file: created once, private to its owner, shared by everyone who starts at once. */
class AdminTokenTest {

    @TempDir
    Path dir;

    @Test
    void isCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        Path data = dir.resolve("data");
        AdminToken first = AdminToken.loadOrCreate(data);
        Path file = data.resolve("admin.token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.value()).matches("mwa_[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(file)).isEqualTo(first.value() + "\n");
        assertThat(AdminToken.loadOrCreate(data).value()).isEqualTo(first.value());
        assertThat(first.toString()).doesNotContain(first.value());
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("admin.token");
        }
    }

    @Test
    void processesStartingTogetherAgreeOnOneToken() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> all = IntStream.range(0, 8)
                    .mapToObj(i -> pool.submit(() -> AdminToken.loadOrCreate(dir).value())).toList();
            String token = all.get(0).get();
            for (Future<String> f : all) {
                assertThat(f.get()).isEqualTo(token);
            }
        }
    }

    @Test
    void matchesOnlyTheExactToken() {
        AdminToken token = AdminToken.loadOrCreate(dir);
        assertThat(token.matches(token.value())).isTrue();
        assertThat(token.matches(token.value() + " ")).isFalse();
        assertThat(token.matches(token.value().substring(1))).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void anOperatorsOwnTokenIsUsedAndAnUnusableOneRefused() throws Exception {
        Files.writeString(dir.resolve("admin.token"), "  my-own-secret-from-the-vault-0123456789  \n");
        assertThat(AdminToken.loadOrCreate(dir).value()).isEqualTo("my-own-secret-from-the-vault-0123456789");

        Files.writeString(dir.resolve("admin.token"), "short\n");
        assertThatThrownBy(() -> AdminToken.loadOrCreate(dir)).isInstanceOf(AdminException.class)
                .hasMessage(dir.resolve("admin.token") + " does not hold a usable admin token (32 to 256 printable ASCII"
                        + " characters); delete it and a new one is made at the next start");
    }
}
