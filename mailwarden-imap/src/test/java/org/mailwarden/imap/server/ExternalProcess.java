package org.mailwarden.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (python3, curl) to its end and captures what it printed. */
record ExternalProcess(int exitCode, String stdout, String stderr) {

    static ExternalProcess run(Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(workDir, command, java.util.Map.of());
    }

    /** Runs with extra environment variables. */
    static ExternalProcess run(Path workDir, List<String> command, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new ExternalProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Whether {@code program} is on the PATH. */
    static boolean available(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    ExternalProcess assertSucceeded() {
        assertThat(exitCode).as("exit status; stderr:\n" + stderr + "\nstdout:\n" + stdout).isZero();
        return this;
    }
}
