package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./mailwarden} launcher script, run in a copy of the repository layout under a path with
 * spaces, with stand-in {@code java} and {@code mvnw} scripts that print what they were called with: which
 * JDK it picks, when it builds, how it reports a failed build, and the exact java command line.
 */
class LauncherTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("mailwarden");

    @TempDir
    Path dir;

    Path root;
    Path jar;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void layOutADistribution() throws IOException {
        root = Files.createDirectories(dir.resolve("mail warden"));
        Files.copy(SCRIPT, root.resolve("mailwarden"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("mailwarden-server/src/main/java"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("mailwarden-server/target/lib"));
        jar = Files.writeString(root.resolve("mailwarden-server/target/mailwarden-server-1.0.jar"), "");
        Path stamp = Files.writeString(Files.createDirectories(root.resolve("target")).resolve("mailwarden-build.stamp"), "");
        for (Path old : List.of(root.resolve("pom.xml"), root.resolve("mailwarden-server/src/main/java"),
                root.resolve("mailwarden-server/src/main"))) {
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(60)));
        }
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().minusSeconds(30)));
    }

    @Test
    void runsMainWithTheArgumentsFromAnyDirectory() throws Exception {
        Path jdk = fakeJdk("jdk 21", "21.0.2");
        Run r = launch(Map.of("JAVA_HOME", jdk.toString()), "--help", "two words", "");
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines()).containsExactly(
                "[" + jdk.resolve("bin/java") + "]",
                "[--enable-native-access=ALL-UNNAMED]",
                "[-cp]",
                "[" + jar + ":" + root.resolve("mailwarden-server/target/lib") + "/*]",
                "[org.mailwarden.server.Main]",
                "[--help]",
                "[two words]",
                "[]");
        assertThat(r.status()).isZero();
    }

    @Test
    void withoutJavaHomeItPicksTheNewestJdk21OrLater() throws Exception {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk("jvm/java-17", "17.0.9");
        Path newest = fakeJdk("jvm/jdk-25", "25");
        fakeJdk("jvm/jdk-21", "21.0.2");
        Run r = launch(Map.of("JAVA_HOME", "", "MAILWARDEN_JVM_DIR", jvms.toString()), "--version");
        assertThat(r.out().lines().findFirst()).contains("[" + newest.resolve("bin/java") + "]");
        assertThat(r.status()).isZero();
    }

    @Test
    void withoutAnyJdk21ItSaysWhatToInstall() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.9");
        Path emptyJvms = Files.createDirectories(dir.resolve("no-jvms"));
        Run r = launch(Map.of("JAVA_HOME", old.toString(), "MAILWARDEN_JVM_DIR", emptyJvms.toString(),
                "PATH", old.resolve("bin") + ":/usr/bin:/bin"), "serve");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("mailwarden needs Java 21 or newer. Install one (Debian: apt-get install"
                + " openjdk-21-jdk or temurin-21-jdk) or set JAVA_HOME.\n");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void aChangedSourceFileTriggersAQuietBuild() throws Exception {
        Path jdk = fakeJdk("jdk-21", "21.0.2");
        script(root.resolve("mvnw"), "echo \"maven chatter $*\"; echo \"$JAVA_HOME\" > built-with");
        Files.writeString(root.resolve("mailwarden-server/src/main/java/Changed.java"), "class Changed {}");

        Run r = launch(Map.of("JAVA_HOME", jdk.toString()), "domain", "list");
        Path log = root.resolve("target/mailwarden-build.log");
        assertThat(r.err()).isEqualTo("mailwarden: building the distribution (log: " + log + ")\n");
        assertThat(r.out()).doesNotContain("maven chatter").contains("[domain]");
        assertThat(Files.readString(log)).isEqualTo("maven chatter -B -q -DskipTests package\n");
        assertThat(Files.readString(root.resolve("built-with")).strip()).isEqualTo(jdk.toString());

        Run again = launch(Map.of("JAVA_HOME", jdk.toString()), "domain", "list");
        assertThat(again.err()).as("fresh now, no second build").isEmpty();
    }

    @Test
    void aFailedBuildShowsTheEndOfItsLog() throws Exception {
        Path jdk = fakeJdk("jdk-21", "21.0.2");
        script(root.resolve("mvnw"), "echo '[ERROR] COMPILATION ERROR: Foo.java:[3,1] ; expected'; exit 1");
        Files.writeString(root.resolve("pom.xml"), "<project><!-- changed --></project>");

        Run r = launch(Map.of("JAVA_HOME", jdk.toString()), "serve");
        Path log = root.resolve("target/mailwarden-build.log");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("mailwarden: building the distribution (log: " + log + ")\n"
                + "mailwarden: the build failed; the end of " + log + ":\n"
                + "[ERROR] COMPILATION ERROR: Foo.java:[3,1] ; expected\n");
        assertThat(r.status()).isEqualTo(1);
    }

    /** A stand-in JDK whose java reports {@code version} and otherwise prints its path and arguments. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        script(home.resolve("bin/java"), """
                if [ "$1" = -version ]; then echo 'openjdk version "%s" 2024-01-16' >&2; exit 0; fi
                printf '[%%s]\\n' "$0" "$@"
                """.formatted(version));
        script(home.resolve("bin/javac"), "exit 0");
        return home;
    }

    private static void script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(concat(root.resolve("mailwarden").toString(), args)).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }
}
