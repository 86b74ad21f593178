package org.mailwarden.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mailwarden.bench.measure.JfrProfile;
import org.mailwarden.bench.measure.MachineInfo;
import org.mailwarden.bench.report.Report;
import org.mailwarden.bench.scenario.Comparison;
import org.mailwarden.bench.scenario.ImapScenario;
import org.mailwarden.bench.scenario.Options;
import org.mailwarden.bench.scenario.Pop3Scenario;
import org.mailwarden.bench.scenario.SmtpScenario;
import org.mailwarden.bench.servers.MailwardenTarget;
import org.mailwarden.bench.servers.ReferenceTarget;
import org.mailwarden.core.account.PasswordHasher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's command line, run by {@code bench/run}: {@code compare} runs the side-by-side
 * comparison and writes the result table; {@code hash-password} prints an Argon2id hash with mailwarden's
 * own parameters, which the reference setup gives Dovecot so that a login costs both servers the same.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchMain.Compare.class, BenchMain.HashPassword.class},
        description = "mailwarden benchmark harness (use bench/run).")
public final class BenchMain {

    /** The scenario names accepted by {@code --scenarios}. */
    enum Scenario {
        SMTP, SMTP_TLS, POP3, POP3_LARGE, IMAP, IMAP_COMMANDS, IDLE_LATENCY, IDLE, JMH;

        static Scenario parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Runs mailwarden and Postfix/Dovecot side by side and prints the result table.")
    static final class Compare implements Callable<Integer> {

        @Option(names = "--repo", required = true, description = "The repository root (where ./mailwarden is).")
        Path repo;

        @Option(names = "--reference-env", defaultValue = "/var/tmp/mailwarden-bench/reference/reference.env",
                description = "The file bench/reference/setup.sh wrote (default: ${DEFAULT-VALUE}).")
        Path referenceEnv;

        @Option(names = "--work", defaultValue = "/var/tmp/mailwarden-bench",
                description = "Where mailwarden's temporary data directory is made (default: ${DEFAULT-VALUE}).")
        Path work;

        @Option(names = "--quick", description = "Small counts: checks the harness in a few minutes; not for quoting.")
        boolean quick;

        @Option(names = "--reps", defaultValue = "3", description = "Runs per case and side, interleaved (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--scenarios", split = ",", description = "Any of smtp, smtp-tls, pop3, pop3-large, imap, imap-commands, idle-latency, idle, jmh (default: all).")
        List<String> scenarios;

        @Option(names = "--idle-sessions", split = ",", description = "Idle IMAP session counts (default: 1000,10000; quick: 200).")
        List<Integer> idleSessions;

        @Option(names = "--smtp-sessions", split = ",", description = "SMTP session counts (default: 1,20,100; quick: 1,20).")
        List<Integer> smtpSessions;

        @Option(names = "--smtp-sizes", split = ",", description = "SMTP message sizes in KiB (default: 1,10,100; quick: 1,100).")
        List<Integer> smtpSizesKiB;

        @Option(names = "--pop3-messages", description = "Messages in the POP3 maildrop (default: 1000; quick: 200).")
        Integer pop3Messages;

        @Option(names = "--jmh-filter", description = "Regular expression appended to the JMH include pattern.")
        String jmhFilter;

        @Option(names = "--command-line", description = "The command line to record in the report.")
        String commandLine;

        @Option(names = "--profile", description = "Record mailwarden with JFR and add where its CPU time went to the report.")
        boolean profile;

        @Option(names = "--keep-data", description = "Keep mailwarden's temporary data directory after the run.")
        boolean keepData;

        @Override
        public Integer call() throws Exception {
            if (repetitions < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--reps must be at least 1");
            }
            Set<Scenario> selected = EnumSet.noneOf(Scenario.class);
            if (scenarios == null) {
                selected.addAll(EnumSet.allOf(Scenario.class));
            } else {
                for (String s : scenarios) {
                    selected.add(Scenario.parse(s));
                }
            }
            List<Integer> idle = idleSessions != null ? idleSessions : quick ? List.of(200) : List.of(1000, 10_000);
            Options options = (quick ? Options.quick(repetitions, idle) : Options.full(repetitions, idle))
                    .withSmtp(smtpSessions, smtpSizesKiB == null ? null : smtpSizesKiB.stream().map(k -> k * 1024).toList());
            if (pop3Messages != null) {
                options = options.withPop3Messages(pop3Messages);
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            ReferenceTarget reference = ReferenceTarget.load(referenceEnv);
            Report report = new Report();
            header(report, now, reference, options);

            if (!selected.equals(EnumSet.of(Scenario.JMH))) {
                compareServers(selected, reference, report, options);
            }
            if (selected.contains(Scenario.JMH)) {
                Comparison.progress("running JMH");
                JmhSuite.run(report, quick, jmhFilter);
            }
            report.header(String.format(Locale.ROOT, "- load average (1 min) at the end: %.2f", MachineInfo.loadAverage()));
            String markdown = report.markdown();
            System.out.println(markdown);
            Path results = repo.resolve("bench/results");
            Files.createDirectories(results);
            Path file = results.resolve(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").format(now) + (quick ? "-quick" : "") + ".md");
            Files.writeString(file, markdown);
            Comparison.progress("results written to " + file);
            return 0;
        }

        /** Starts mailwarden, runs the selected protocol scenarios against it and the reference servers, stops it. */
        private void compareServers(Set<Scenario> selected, ReferenceTarget reference, Report report, Options options)
                throws IOException, InterruptedException {
            Files.createDirectories(work);
            Path workDir = Files.createTempDirectory(work, "mailwarden-");
            Comparison.progress("starting mailwarden (./mailwarden serve) in " + workDir);
            List<Path> recordings = new ArrayList<>();
            try (MailwardenTarget mailwarden = MailwardenTarget.start(repo, workDir)) {
                Comparison comparison = new Comparison(mailwarden, reference, options.repetitions(), report);
                if (profile) {
                    comparison.observeMailwardenRuns(new RunRecorder(mailwarden, workDir, recordings, report));
                }
                SmtpScenario smtp = new SmtpScenario(comparison, reference, options);
                ImapScenario imap = new ImapScenario(comparison, options);
                Pop3Scenario pop3 = new Pop3Scenario(comparison, options);
                run(selected, Scenario.SMTP, report, smtp::plain);
                run(selected, Scenario.SMTP_TLS, report, smtp::startTls);
                run(selected, Scenario.POP3, report, pop3::retrAll);
                run(selected, Scenario.POP3_LARGE, report, pop3::retrLarge);
                run(selected, Scenario.IMAP, report, imap::mix);
                run(selected, Scenario.IMAP_COMMANDS, report, imap::commands);
                run(selected, Scenario.IDLE_LATENCY, report, imap::idleLatency);
                run(selected, Scenario.IDLE, report, imap::idleMemory);
            }
            if (profile) {
                addProfile(report, recordings, workDir);
            }
            if (keepData || profile) {
                Comparison.progress("mailwarden's data directory and logs are kept in " + workDir);
            } else {
                deleteTree(workDir);
            }
        }

        /** A scenario body; what it throws ends only that scenario. */
        @FunctionalInterface
        interface Body {
            void run() throws Exception;
        }

        /** Runs {@code scenario} when selected; an unexpected failure is reported and the next scenario runs. */
        private static void run(Set<Scenario> selected, Scenario scenario, Report report, Body body) throws InterruptedException {
            if (!selected.contains(scenario)) {
                return;
            }
            try {
                body.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String what = scenario.name().toLowerCase(Locale.ROOT).replace('_', '-') + ": stopped by " + e;
                report.missing(what);
                Comparison.progress(what);
            }
        }

        private static void addProfile(Report report, List<Path> recordings, Path workDir) {
            if (recordings.isEmpty()) {
                report.missing("profile: mailwarden wrote no flight recording (no measured mailwarden run?)");
                return;
            }
            try {
                report.section("Where mailwarden's time went (JFR over its " + recordings.size() + " measured runs only; recordings "
                        + workDir.resolve("profile-*.jfr") + ")", JfrProfile.markdown(JfrProfile.read(recordings, 20)));
            } catch (IOException e) {
                report.missing("profile: cannot read the recordings in " + workDir + ": " + e.getMessage());
            }
        }

        /**
         * Records each measured mailwarden run in its own flight recording ({@code profile-NNN.jfr}), so the
         * profile leaves out mailbox filling, warm-ups and the time the peer is measured.
         */
        private static final class RunRecorder implements Comparison.RunObserver {
            private final MailwardenTarget mailwarden;
            private final Path workDir;
            private final List<Path> recordings;
            private final Report report;
            private boolean recording;

            RunRecorder(MailwardenTarget mailwarden, Path workDir, List<Path> recordings, Report report) {
                this.mailwarden = mailwarden;
                this.workDir = workDir;
                this.recordings = recordings;
                this.report = report;
            }

            @Override
            public void before() throws InterruptedException {
                try {
                    mailwarden.startRecording("bench-run");
                    recording = true;
                } catch (IOException e) {
                    report.missing("profile: " + e.getMessage());
                }
            }

            @Override
            public void after() throws InterruptedException {
                if (!recording) {
                    return;
                }
                recording = false;
                Path file = workDir.resolve(String.format(Locale.ROOT, "profile-%03d.jfr", recordings.size() + 1));
                try {
                    mailwarden.stopRecording("bench-run", file);
                    recordings.add(file);
                } catch (IOException e) {
                    report.missing("profile: " + e.getMessage());
                }
            }
        }

        private static void deleteTree(Path dir) throws IOException {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        private void header(Report report, ZonedDateTime now, ReferenceTarget reference, Options options) {
            report.header("# mailwarden benchmark, " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(now)
                    + (options.quick() ? " (quick run: small counts, for checking the harness, not for quoting)" : ""));
            report.header("");
            report.header(String.format(Locale.ROOT, "- machine: %d cores (%s), %d MiB RAM, Linux %s; shared with other work",
                    MachineInfo.cores(), MachineInfo.cpuModel(), MachineInfo.memoryMiB(), MachineInfo.kernel()));
            report.header("- mailwarden " + gitDescription() + " (SQLite store, durable accept), started with ./mailwarden serve;"
                    + " JVM options: " + System.getenv().getOrDefault("MAILWARDEN_JAVA_OPTS", "launcher defaults"));
            report.header("- peers: Postfix " + reference.postfixVersion() + " (virtual(8) Maildir delivery), Dovecot "
                    + reference.dovecotVersion() + " (IMAP/POP3 on those Maildirs), Debian packages, defaults except ports and connection limits;"
                    + " smtp-source/smtp-sink from the same Postfix; " + MachineInfo.java() + " for the load clients");
            report.header("- both sides store durably before answering 250 (mailwarden: group commit with fsync; Postfix: fsync'd queue file)"
                    + " and hash passwords with Argon2id m=19 MiB, t=2 (Dovecot gets mailwarden's hash parameters)");
            report.header(String.format(Locale.ROOT, "- every case runs mailwarden, then the peer (then smtp-sink for plain SMTP), %d times over;"
                    + " figures are medians, all runs are listed; ratio = mailwarden ÷ peer", options.repetitions()));
            report.header(String.format(Locale.ROOT, "- load average (1 min) at the start: %.2f", MachineInfo.loadAverage()));
            if (profile) {
                report.header("- mailwarden was recorded with JFR during the scenarios (settings=profile, waits from 1 ms), which costs it a little");
            }
            if (commandLine != null) {
                report.header("- command: `" + commandLine + "`");
            }
        }

        private String gitDescription() {
            try {
                Process p = new ProcessBuilder("git", "-C", repo.toString(), "log", "-1", "--format=%h %cd", "--date=short")
                        .redirectErrorStream(true).start();
                String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                Process d = new ProcessBuilder("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no")
                        .redirectErrorStream(true).start();
                boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
                p.waitFor();
                d.waitFor();
                return "commit " + head + (dirty ? " with uncommitted changes" : "");
            } catch (IOException e) {
                return "(commit unknown)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(commit unknown)";
            }
        }
    }

    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Reads a password from the first line of stdin and prints its Argon2id PHC hash with mailwarden's parameters.")
    static final class HashPassword implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                System.err.println("bench: hash-password reads the password from the first line of stdin; it was empty");
                return 2;
            }
            System.out.println(new PasswordHasher().hash(password));
            return 0;
        }
    }
}
