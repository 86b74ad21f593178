package org.mailwarden.reliability.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mailwarden.server.Main;

/**
 * {@code mailwarden serve --config FILE} as its own JVM, started the way the launcher starts it (the same
 * Java, {@code Main}, the classpath of this test run), so that it can be killed with SIGKILL like a real
 * server process and restarted on the same data directory. Output goes to a log file per start.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code serve} with {@code config} and waits until it logs that its listeners are open.
     *
     * @param log where the process's output goes (overwritten)
     * @throws IllegalStateException with the end of the log when the server exits or does not come up
     */
    public static ServerProcess start(TestServerConfig config, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--config", config.file().toString()));
        Process p = new ProcessBuilder(command).directory(config.file().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(p, log);
        server.awaitStarted();
        return server;
    }

    private void awaitStarted() {
        Instant until = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(until)) {
            String text = logText();
            if (text.contains(" started: ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue()
                        + " before it started; its log " + log + " ends with:\n" + tail(text));
            }
            sleep(Duration.ofMillis(100));
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start within " + START_TIMEOUT.toSeconds()
                + " s; its log " + log + " ends with:\n" + tail(logText()));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log lines at WARN or ERROR level. */
    public List<String> problems() {
        return logText().lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).toList();
    }

    /** SIGKILL: no shutdown hook, no flush, no close; returns once the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM, as an administrator stops the server; returns its exit status (143 after a clean
     * shutdown).
     */
    public int stop() {
        process.destroy();
        waitFor(Duration.ofSeconds(60));
        return process.exitValue();
    }

    /** How many file descriptors the server process holds now ({@code /proc/PID/fd}). */
    public int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many threads the server process runs now (platform threads, carriers of virtual threads included). */
    public int threads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid()), "task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resident memory of the server process in KiB ({@code VmRSS} of {@code /proc/PID/status}). */
    public long residentKiB() {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the server process " + pid() + " did not exit within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process if it still runs (for {@code @AfterEach}). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
