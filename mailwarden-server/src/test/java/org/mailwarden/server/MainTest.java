package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.mailwarden.admin.cli.AdminEnvironment;
import org.mailwarden.core.account.PasswordHasher;

/** The top of the command line: help lists serve and every admin group; mistakes exit with 2. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        AdminEnvironment env = new AdminEnvironment(InputStream.nullInputStream(), c -> {
            throw new AssertionError("no store needed");
        }, new PasswordHasher());
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: mailwarden [-hV] COMMAND\n");
        assertThat(out.toString().lines().map(String::strip).filter(l -> l.matches("^[a-z]+ {2,}[A-Z].*"))
                .map(l -> l.substring(0, l.indexOf(' '))))
                .containsExactly("serve", "domain", "user", "alias", "relay", "route", "settings", "queue", "admin");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void serveHasHelpWithTheSharedConfigOption() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: mailwarden serve [-h] [--config=FILE]\n").contains("./data");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("mailwarden: Unmatched argument at index 0: 'frobnicate' (see: mailwarden --help)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("mailwarden: Missing required subcommand (see: mailwarden --help)\n");
    }
}
