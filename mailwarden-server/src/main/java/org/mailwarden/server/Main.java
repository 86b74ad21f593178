package org.mailwarden.server;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mailwarden} command: {@code serve} runs the server, every other subcommand administers the
 * store. Exit status 0 on success, 1 on failure, 2 on a usage or configuration error; every failure is
 * one line on stderr, never a stack trace.
 */
@Command(name = "mailwarden", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A mail server: SMTP, submission, POP3, IMAP4 and outbound delivery with a strict relay policy.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given output streams and returns its exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The version from the jar manifest, "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mailwarden " + (v == null ? "development" : v)};
        }
    }
}
