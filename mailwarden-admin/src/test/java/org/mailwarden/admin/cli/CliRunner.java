package org.mailwarden.admin.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.store.Stores;

/**
 * Runs the real command line in-process, as the launcher would, against one config file: captures
 * stdout and stderr and returns them with the exit status.
 */
final class CliRunner {

    record Result(int status, String out, String err) {
    }

    private final Path config;
    private final PasswordHasher hasher = new PasswordHasher();

    CliRunner(Path config) {
        this.config = config;
    }

    Result run(String... args) {
        return runWithStdin(new ByteArrayInputStream(new byte[0]), args);
    }

    Result runWithStdin(String stdin, String... args) {
        return runWithStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    private Result runWithStdin(InputStream stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (config != null && all.stream().noneMatch(a -> a.equals("--help") || a.equals("-h"))) {
            all.add("--config");
            all.add(config.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AdminEnvironment env = new AdminEnvironment(stdin, Stores::open, hasher);
        int status = AdminCli.create(env, new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }
}
