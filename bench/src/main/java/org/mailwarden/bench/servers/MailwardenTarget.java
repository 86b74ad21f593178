package org.mailwarden.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mailwarden.bench.client.ImapClient;

/**
 * mailwarden as an administrator runs it: the real launcher ({@code ./mailwarden serve --config FILE})
 * with a data directory under a temporary directory, set up with the real admin CLI
 * ({@code ./mailwarden domain add}, {@code user import}, {@code settings set}). The config raises only the
 * connection limits (the load comes from one client address) and the settings allow plaintext logins
 * (the listeners are on loopback, as Dovecot's are); everything else is the default, durable accept
 * included.
 */
public final class MailwardenTarget implements Target, AutoCloseable {

    public static final String DOMAIN = "example.test";
    public static final String PASSWORD = "bench-password";
    /** The same users the reference servers have. */
    public static final List<String> USERS = List.of("bench1", "bench2", "bench3", "bench4", "imapmix", "pop3drop", "idle", "idlelat", "tls1", "pop3big");

    /**
     * Listener ports, away from mailwarden's defaults (a developer's own server) and the ephemeral range;
     * {@code MW_BENCH_PORT_OFFSET} shifts them all, so that two runs (two worktrees) can share a machine.
     */
    private static final Map<String, Integer> PORTS = offset(Map.of(
            "smtp", 11025, "submission", 11587, "submissions", 11465, "pop3", 11110, "pop3s", 11995,
            "imap", 11143, "imaps", 11993, "admin", 11080), System.getenv().getOrDefault("MW_BENCH_PORT_OFFSET", "0"));

    private static Map<String, Integer> offset(Map<String, Integer> ports, String offset) {
        int by;
        try {
            by = Integer.parseInt(offset.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MW_BENCH_PORT_OFFSET must be a number, not \"" + offset + "\"");
        }
        if (by < 0 || by > 10_000) {
            throw new IllegalArgumentException("MW_BENCH_PORT_OFFSET must be between 0 and 10000, not " + by);
        }
        Map<String, Integer> shifted = new java.util.HashMap<>();
        ports.forEach((role, port) -> shifted.put(role, port + by));
        return Map.copyOf(shifted);
    }

    private final Path launcher;
    private final Path workDir;
    private final Path config;
    private final Path log;
    private Process process;
    private String startProblem;
    private final Map<Service, Optional<String>> availability = new EnumMap<>(Service.class);

    private MailwardenTarget(Path launcher, Path workDir) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.config = workDir.resolve("bench-config.toml");
        this.log = workDir.resolve("serve.log");
    }

    /**
     * Writes the config, creates the domain and the users with the CLI and starts {@code serve}; waits
     * until every listener accepts. A server that cannot start is not an exception: its services are
     * then reported unavailable with the reason.
     */
    public static MailwardenTarget start(Path repositoryRoot, Path workDir) {
        MailwardenTarget t = new MailwardenTarget(repositoryRoot.resolve("mailwarden"), workDir);
        try {
            t.writeConfig();
            t.setUp();
            t.launch();
        } catch (IOException e) {
            t.startProblem = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.startProblem = "interrupted while starting";
        }
        return t;
    }

    private void writeConfig() throws IOException {
        StringBuilder toml = new StringBuilder();
        toml.append("# written by the mailwarden benchmark (bench/run)\n");
        toml.append("hostname = \"mw.").append(DOMAIN).append("\"\n");
        toml.append("data_dir = \"").append(workDir.resolve("data")).append("\"\n\n[listen]\n");
        for (String role : List.of("smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps", "admin")) {
            toml.append(role).append(" = [\"127.0.0.1:").append(PORTS.get(role)).append("\"]\n");
        }
        toml.append("\n[limits]\nmax_connections = 30000\nmax_connections_per_ip = 30000\n");
        Files.writeString(config, toml.toString());
    }

    private void setUp() throws IOException, InterruptedException {
        cli(List.of("domain", "add", DOMAIN), null);
        // Plaintext logins as Dovecot allows them here: every listener of this config is on loopback.
        cli(List.of("settings", "set", "pop3.allow_plaintext", "on", "imap.allow_plaintext", "on"), null);
        // One CLI start for all users: each start is a JVM and a store opening, seconds apiece on a loaded machine.
        StringBuilder accounts = new StringBuilder();
        for (String user : USERS) {
            accounts.append(address(user)).append(' ').append(PASSWORD).append('\n');
        }
        cli(List.of("user", "import", "--stdin"), accounts.toString());
    }

    private void cli(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        command.add("--config");
        command.add(config.toString());
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("cli.log").toFile())).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("mailwarden " + String.join(" ", args) + " did not finish in 600 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("mailwarden " + String.join(" ", args) + " failed (status " + p.exitValue() + "): "
                    + lastLine(workDir.resolve("cli.log")));
        }
    }

    private void launch() throws IOException, InterruptedException {
        for (Service s : Service.values()) {
            if (accepts(endpoint(s))) {
                throw new IOException("something already listens on " + endpoint(s) + " (a mailwarden left over from an"
                        + " interrupted run, or another worktree's bench/run? see: ss -ltnp | grep " + endpoint(s).port()
                        + "; MW_BENCH_PORT_OFFSET=100 moves this run's ports)");
            }
        }
        process = new ProcessBuilder(launcher.toString(), "serve", "--config", config.toString())
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (Service s : Service.values()) {
            while (!accepts(endpoint(s))) {
                if (!process.isAlive()) {
                    throw new IOException("mailwarden serve exited with status " + process.exitValue() + ": " + lastLine(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("mailwarden serve did not open " + endpoint(s) + " within 180 s (log: " + log + ")");
                }
                Thread.sleep(200);
            }
        }
        // the harness must never outlive-leak its server, even when it dies of an unexpected error
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-mailwarden"));
    }

    private static boolean accepts(Endpoint e) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(e.host(), e.port()), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
            return "(no output)";
        } catch (IOException e) {
            return "(no output)";
        }
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public String name(Service service) {
        return "mailwarden";
    }

    @Override
    public Endpoint endpoint(Service service) {
        return new Endpoint("127.0.0.1", PORTS.get(switch (service) {
            case SMTP -> "smtp";
            case IMAP -> "imap";
            case POP3 -> "pop3";
        }));
    }

    @Override
    public Endpoint implicitTls(Service service) {
        return new Endpoint("127.0.0.1", PORTS.get(switch (service) {
            case SMTP -> "submissions";
            case IMAP -> "imaps";
            case POP3 -> "pop3s";
        }));
    }

    /** Probed once: a service that is missing at the start of a run stays missing for that run. */
    @Override
    public synchronized Optional<String> unavailable(Service service) {
        return availability.computeIfAbsent(service, s -> {
            if (startProblem != null) {
                return Optional.of("mailwarden: service not available yet (" + startProblem + ")");
            }
            return ServiceProbe.unavailable(s, endpoint(s))
                    .map(reason -> "mailwarden: service not available yet (" + s + " " + reason + ")");
        });
    }

    @Override
    public String address(String user) {
        return user + "@" + DOMAIN;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    /**
     * The message rows of the user's INBOX in the SQLite store (cheap enough to poll, and needs no login),
     * else IMAP STATUS when IMAP serves.
     */
    @Override
    public int inboxCount(String user) {
        int rows = sqliteInboxCount(user);
        if (rows >= 0) {
            return rows;
        }
        if (unavailable(Service.IMAP).isEmpty()) {
            Endpoint e = endpoint(Service.IMAP);
            try (ImapClient imap = ImapClient.connect(e.host(), e.port(), 30_000)) {
                imap.login(address(user), PASSWORD);
                int n = imap.messages("INBOX");
                imap.logout();
                return n;
            } catch (IOException ex) {
                return -1;
            }
        }
        return -1;
    }

    private int sqliteInboxCount(String user) {
        String sql = "SELECT count(*) FROM message m JOIN mailbox b ON b.id = m.mailbox_id JOIN account a ON a.id = b.account_id"
                + " WHERE a.local_part = '" + user + "' AND upper(b.name) = 'INBOX';";
        try {
            Process p = new ProcessBuilder("sqlite3", "-readonly", workDir.resolve("data/mailwarden.db").toString(), sql)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Integer.parseInt(out) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Starts a JDK Flight Recorder recording named {@code name} in the running server (through jcmd, so
     * the server's start-up stays out of it): the profile settings with a 1 ms execution sample (the
     * measured runs can be short), plus every wait of 1 ms or more (disk flushes at any length), which is
     * where a server that is idle on CPU spends its time.
     */
    public void startRecording(String name) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=" + name, "settings=profile", "jdk.ExecutionSample#period=1ms",
                "jdk.FileForce#threshold=0ms", "jdk.FileWrite#threshold=1ms",
                "jdk.FileRead#threshold=1ms", "jdk.SocketRead#threshold=1ms", "jdk.SocketWrite#threshold=1ms",
                "jdk.ThreadPark#threshold=1ms", "jdk.JavaMonitorEnter#threshold=1ms", "jdk.VirtualThreadPinned#threshold=1ms");
    }

    /** A full garbage collection (jcmd GC.run), after which G1 gives unused heap back to the system. */
    @Override
    public void settle() throws IOException, InterruptedException {
        jcmd("GC.run");
        Thread.sleep(1000);
    }

    /** Stops the recording {@code name} and writes it to {@code file}. */
    public void stopRecording(String name, Path file) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=" + name, "filename=" + file);
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IOException("mailwarden is not running");
        }
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid())));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("Exception") || out.contains("Could not")) {
            throw new IOException("jcmd " + command[0] + " failed: " + out.strip());
        }
    }

    @Override
    public long pid(Service service) {
        return process.pid();
    }

    /** SIGTERM (the server's graceful shutdown), then a forced stop after 40 s. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
