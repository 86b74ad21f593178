package org.mailwarden.admin.cli;

import java.io.PrintWriter;
import java.util.List;
import org.mailwarden.admin.AdminException;
import org.mailwarden.core.config.ConfigException;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * Builds the {@code mailwarden} command line: the root command, any commands the caller adds (such as
 * {@code serve}), and the admin command groups, with the error handling every command shares. A
 * failure prints exactly one line, {@code mailwarden: what is wrong}, on stderr and exits 1; a usage or
 * configuration mistake exits 2. Stack traces go to the debug log only.
 */
public final class AdminCli {

    /** Exit status of a refused or failed operation. */
    public static final int FAILED = 1;
    /** Exit status of a usage or configuration error. */
    public static final int USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(AdminCli.class);

    private AdminCli() {
    }

    /** The root command; its help and version options are inherited by every subcommand. */
    @Command(name = "mailwarden", versionProvider = Root.Version.class, synopsisSubcommandLabel = "COMMAND",
            description = "A mail server: SMTP, submission, POP3, IMAP4 and outbound delivery with a strict relay policy.")
    static final class Root {

        @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
        boolean help;

        @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
        boolean version;

        /** The version from the jar manifest, "development" when run from classes. */
        static final class Version implements CommandLine.IVersionProvider {
            @Override
            public String[] getVersion() {
                String v = Root.class.getPackage().getImplementationVersion();
                return new String[] {"mailwarden " + (v == null ? "development" : v)};
            }
        }
    }

    /**
     * The full command line, writing to {@code out} and {@code err}.
     *
     * @param first commands listed before the admin groups, such as {@code serve}
     */
    public static CommandLine create(AdminEnvironment env, PrintWriter out, PrintWriter err, Object... first) {
        CommandLine cli = new CommandLine(new Root());
        for (Object command : first) {
            cli.addSubcommand(command);
        }
        cli.addSubcommand(new DomainCommand(env));
        cli.addSubcommand(new UserCommand(env));
        cli.addSubcommand(new AliasCommand(env));
        cli.addSubcommand(new RelayCommand(env));
        cli.addSubcommand(new RouteCommand(env));
        cli.addSubcommand(new SettingsCommand(env));
        cli.addSubcommand(new QueueCommand(env));
        cli.addSubcommand(new AdminCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(AdminCli::usageError);
        cli.setExecutionExceptionHandler(AdminCli::failure);
        return cli;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("mailwarden: " + oneLine(e.getMessage()) + " (see: "
                + cmd.getCommandSpec().qualifiedName() + " --help)");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
        Throwable t = e;
        while (t instanceof CommandLine.ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        log.debug("{} failed", cmd.getCommandSpec().qualifiedName(), t);
        if (t instanceof ParameterException p) {
            return usageError(p, new String[0]);
        }
        List<String> lines;
        int status = FAILED;
        if (t instanceof AdminException a) {
            status = a.kind() == AdminException.Kind.USAGE ? USAGE : FAILED;
            // A config file may have several problems, one line each, all reported at once.
            lines = a.getCause() instanceof ConfigException c ? c.problems() : List.of(oneLine(a.getMessage()));
        } else if (t instanceof StoreException s) {
            lines = List.of("the store failed: " + oneLine(s.getMessage()));
        } else {
            lines = List.of("unexpected error: " + oneLine(String.valueOf(t)));
        }
        lines.forEach(line -> cmd.getErr().println("mailwarden: " + line));
        return status;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
