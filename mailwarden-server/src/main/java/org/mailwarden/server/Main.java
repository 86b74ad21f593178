package org.mailwarden.server;

import java.io.PrintWriter;
import org.mailwarden.admin.cli.AdminCli;
import org.mailwarden.admin.cli.AdminEnvironment;

/**
 * The {@code mailwarden} program: {@code serve} runs the server, every other command administers the
 * store. Exit status 0 on success, 1 on failure, 2 on a usage or configuration error; every failure is one
 * line on stderr, never a stack trace.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, AdminEnvironment.system(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit status. */
    public static int execute(String[] args, AdminEnvironment env, PrintWriter out, PrintWriter err) {
        return AdminCli.create(env, out, err, new ServeCommand(ProtocolServices.builtIn())).execute(args);
    }
}
