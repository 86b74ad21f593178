package org.mailwarden.admin.cli;

import java.util.List;
import org.mailwarden.admin.AdminException;
import org.mailwarden.store.Accounts.Account;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailwarden user add|remove|passwd|list|disable|enable}: mail accounts. */
@Command(name = "user", description = "Manage mail accounts.")
final class UserCommand extends AdminGroup {

    private static final String STDIN_HELP = "Read the password from the first line of standard input.";

    UserCommand(AdminEnvironment env) {
        super(env);
    }

    @Command(name = "add", description = "Add an account in a local domain, with its mailboxes.")
    int add(@Mixin ConfigOption config,
            @Parameters(paramLabel = "ADDRESS", description = "The address, such as alice@example.test.") String address,
            @Option(names = "--password-stdin", required = true, description = STDIN_HELP) boolean passwordStdin) {
        String password = PasswordInput.readLine(env.stdin(), "user add " + address);
        out().println("added user " + admin(config, s -> s.addUser(address, password)).address());
        return 0;
    }

    @Command(name = "import", description = "Add several accounts, listed on standard input: one 'ADDRESS PASSWORD' "
            + "line each (blank lines and lines starting with # are skipped). Nothing is added when a line is malformed.")
    int importUsers(@Mixin ConfigOption config,
                    @Option(names = "--stdin", required = true, description = "Read the accounts from standard input.")
                    boolean stdin) {
        List<AccountLines.Entry> entries = AccountLines.read(env.stdin());
        adminDo(config, s -> {
            int added = 0;
            for (AccountLines.Entry e : entries) {
                try {
                    out().println("added user " + s.addUser(e.address(), e.password()).address());
                } catch (AdminException refused) {
                    String done = added == 0 ? "nothing was added" : "the " + added + " accounts before it were added";
                    throw new AdminException(refused.kind(), e + ": " + refused.getMessage() + "; " + done, refused);
                }
                added++;
            }
        });
        return 0;
    }

    @Command(name = "passwd", description = "Change the password of an account.")
    int passwd(@Mixin ConfigOption config,
               @Parameters(paramLabel = "ADDRESS", description = "The account.") String address,
               @Option(names = "--password-stdin", required = true, description = STDIN_HELP) boolean passwordStdin) {
        String password = PasswordInput.readLine(env.stdin(), "user passwd " + address);
        out().println("changed the password of " + admin(config, s -> s.setPassword(address, password)).address());
        return 0;
    }

    @Command(name = "remove", description = "Remove an account together with its mailboxes and mail.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS", description = "The account.") String address) {
        out().println("removed user " + admin(config, s -> s.removeUser(address)).address());
        return 0;
    }

    @Command(name = "list", description = "List the accounts, of every local domain or of one.")
    int list(@Mixin ConfigOption config,
             @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only this domain.") String domain) {
        List<Account> users = admin(config, s -> s.users(domain));
        Table table = new Table();
        for (Account a : users) {
            table.row(a.address(), a.enabled() ? "" : "disabled");
        }
        table.print(out());
        return 0;
    }

    @Command(name = "disable", description = "Refuse logins and deliveries for an account, keeping its mail.")
    int disable(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS", description = "The account.") String address) {
        out().println("disabled user " + admin(config, s -> s.setEnabled(address, false)).address());
        return 0;
    }

    @Command(name = "enable", description = "Enable a disabled account again.")
    int enable(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS", description = "The account.") String address) {
        out().println("enabled user " + admin(config, s -> s.setEnabled(address, true)).address());
        return 0;
    }
}
