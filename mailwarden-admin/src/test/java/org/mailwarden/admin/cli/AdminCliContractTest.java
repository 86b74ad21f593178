package org.mailwarden.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.admin.cli.CliRunner.Result;
import org.mailwarden.core.account.AuthResult;
import org.mailwarden.core.account.Authenticator;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.ScramCredentials;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * The admin commands end to end on a real store, through a real config file: what an administrator types
 * and exactly what they see, exit status included. Runs on SQLite and on PostgreSQL.
 */
abstract class AdminCliContractTest {

    @TempDir
    Path dir;

    CliRunner cli;
    Path config;

    /** The [storage] part of the config file (and data_dir) for this backend. */
    abstract String storageToml(Path dir);

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("mailwarden.toml");
        Files.writeString(config, storageToml(dir));
        cli = new CliRunner(config);
    }

    /** The store the commands use, opened the same way, from the config file. */
    Store openStore() {
        ConfigOption option = new ConfigOption();
        option.file = config;
        return Stores.open(option.load().storage());
    }

    static void assertOk(Result r, String out) {
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(out);
        assertThat(r.status()).isZero();
    }

    static void assertFails(Result r, int status, String err) {
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(err);
        assertThat(r.status()).isEqualTo(status);
    }

    // ---- domains

    @Test
    void domainsRoundTrip() {
        assertOk(cli.run("domain", "list"), "");
        assertOk(cli.run("domain", "add", "Example.TEST", "--short", "example"),
                "added domain example.test (short name EXAMPLE)\n");
        assertOk(cli.run("domain", "add", "other.test"), "added domain other.test\n");
        assertOk(cli.run("domain", "list"), "example.test  EXAMPLE\nother.test\n");
        assertOk(cli.run("domain", "short", "other.test", "OTHER"), "domain other.test: short name OTHER\n");
        assertOk(cli.run("domain", "short", "example.test", "--clear"), "domain example.test: short name cleared\n");
        assertOk(cli.run("domain", "list"), "example.test\nother.test    OTHER\n");
        assertOk(cli.run("domain", "remove", "example.test"), "removed domain example.test\n");
        assertOk(cli.run("domain", "list"), "other.test  OTHER\n");
    }

    @Test
    void domainMistakes() {
        cli.run("domain", "add", "example.test", "--short", "EXAMPLE");
        assertFails(cli.run("domain", "add", "example.test"), 1, "mailwarden: domain example.test already exists\n");
        assertFails(cli.run("domain", "add", "other.test", "--short", "example"), 1,
                "mailwarden: short name EXAMPLE is already used by domain example.test\n");
        assertFails(cli.run("domain", "add", "exa mple.test"), 1,
                "mailwarden: domain name 'exa mple.test' contains a space; only letters, digits, hyphens and dots are allowed\n");
        assertFails(cli.run("domain", "remove", "nope.test"), 1,
                "mailwarden: domain nope.test does not exist; add it with: mailwarden domain add nope.test\n");
        assertFails(cli.run("domain", "short", "example.test"), 2,
                "mailwarden: give either a short name or --clear, such as: mailwarden domain short example.test EXAMPLE\n");
        cli.runWithStdin("pw\n", "user", "add", "alice@example.test", "--password-stdin");
        assertFails(cli.run("domain", "remove", "example.test"), 1,
                "mailwarden: domain example.test still has users or aliases; remove them first"
                        + " (see: mailwarden user list example.test and mailwarden alias list)\n");
    }

    // ---- users

    @Test
    void usersRoundTrip() {
        cli.run("domain", "add", "example.test");
        assertOk(cli.runWithStdin("s3cret\n", "user", "add", "Alice@Example.test", "--password-stdin"),
                "added user Alice@example.test\n");
        assertOk(cli.runWithStdin("pw2", "user", "add", "bob@example.test", "--password-stdin"), "added user bob@example.test\n");
        assertOk(cli.run("user", "list"), "Alice@example.test\nbob@example.test\n");
        assertOk(cli.run("user", "disable", "bob@example.test"), "disabled user bob@example.test\n");
        try (Store store = openStore()) {
            assertThat(new Authenticator(store.accounts(), new PasswordHasher()).authenticate("bob@example.test", "pw2"))
                    .isEqualTo(new AuthResult.Failure(AuthResult.Failure.Reason.DISABLED, "bob@example.test"));
        }
        assertOk(cli.run("user", "list", "example.test"), "Alice@example.test\nbob@example.test    disabled\n");
        assertOk(cli.run("user", "enable", "BOB@example.test"), "enabled user bob@example.test\n");
        assertOk(cli.runWithStdin("new password\r\nignored\n", "user", "passwd", "alice@example.test", "--password-stdin"),
                "changed the password of Alice@example.test\n");
        try (Store store = openStore()) {
            Authenticator auth = new Authenticator(store.accounts(), new PasswordHasher());
            assertThat(auth.authenticate("alice@example.test", "new password")).isInstanceOf(AuthResult.Success.class);
            assertThat(auth.authenticate("alice@example.test", "s3cret")).isInstanceOf(AuthResult.Failure.class);
            assertThat(auth.authenticate("bob@example.test", "pw2")).isInstanceOf(AuthResult.Success.class);
            Account alice = store.accounts().find("alice", "example.test").orElseThrow();
            assertThat(alice.passwordHash()).startsWith("$argon2id$").doesNotContain("new password");
            assertThat(ScramCredentials.parse(alice.scramSha256())).isNotNull();
        }
        assertOk(cli.run("user", "remove", "alice@example.test"), "removed user Alice@example.test\n");
        assertOk(cli.run("user", "list"), "bob@example.test\n");
    }

    @Test
    void userMistakes() {
        assertFails(cli.runWithStdin("pw\n", "user", "add", "alice@example.test", "--password-stdin"), 1,
                "mailwarden: domain example.test does not exist; add it with: mailwarden domain add example.test\n");
        cli.run("domain", "add", "example.test");
        cli.runWithStdin("pw\n", "user", "add", "alice@example.test", "--password-stdin");
        assertFails(cli.runWithStdin("pw\n", "user", "add", "ALICE@example.test", "--password-stdin"), 1,
                "mailwarden: user ALICE@example.test already exists\n");
        assertFails(cli.runWithStdin("\n", "user", "add", "bob@example.test", "--password-stdin"), 1,
                "mailwarden: the password on stdin is empty; pipe one in, such as: echo 'secret' | mailwarden user add"
                        + " bob@example.test --password-stdin\n");
        assertFails(cli.run("user", "add", "bob@example.test", "--password-stdin"), 1,
                "mailwarden: the password on stdin is empty; pipe one in, such as: echo 'secret' | mailwarden user add"
                        + " bob@example.test --password-stdin\n");
        assertFails(cli.run("user", "add", "bob@example.test"), 2,
                "mailwarden: Missing required option: '--password-stdin' (see: mailwarden user add --help)\n");
        assertFails(cli.runWithStdin("pw\n", "user", "add", "bob", "--password-stdin"), 1,
                "mailwarden: 'bob' is not an address; expected local-part@domain such as alice@example.test\n");
        assertFails(cli.run("user", "remove", "carol@example.test"), 1,
                "mailwarden: user carol@example.test does not exist\n");
        assertFails(cli.run("user", "list", "nope.test"), 1,
                "mailwarden: domain nope.test does not exist; add it with: mailwarden domain add nope.test\n");
        assertFails(cli.runWithStdin("x".repeat(1025), "user", "passwd", "alice@example.test", "--password-stdin"), 1,
                "mailwarden: the password on stdin is longer than 1024 bytes\n");
        assertFails(cli.runWithStdin("tab\there\n", "user", "passwd", "alice@example.test", "--password-stdin"), 1,
                "mailwarden: the password contains a control character (a line break or tab?); with --password-stdin,"
                        + " only the first line is used\n");
    }

    @Test
    void importAddsEveryAccountOnStdin() {
        cli.run("domain", "add", "example.test");
        assertOk(cli.runWithStdin("# bench users\nalice@example.test s3cret\r\n\nBob@example.test two words\n", "user", "import",
                "--stdin"), "added user alice@example.test\nadded user Bob@example.test\n");
        assertOk(cli.run("user", "list"), "Bob@example.test\nalice@example.test\n");
        try (Store store = openStore()) {
            Authenticator auth = new Authenticator(store.accounts(), new PasswordHasher());
            assertThat(auth.authenticate("alice@example.test", "s3cret")).isInstanceOf(AuthResult.Success.class);
            assertThat(auth.authenticate("bob@example.test", "two words")).isInstanceOf(AuthResult.Success.class);
        }
    }

    @Test
    void importMistakes() {
        cli.run("domain", "add", "example.test");
        assertFails(cli.runWithStdin("alice@example.test s3cret\nbob@example.test\n", "user", "import", "--stdin"), 1,
                "mailwarden: line 2 on stdin is not 'ADDRESS PASSWORD' (one space between), such as: printf"
                        + " 'alice@example.test secret\\n' | mailwarden user import --stdin\n");
        assertFails(cli.runWithStdin("alice@example.test s3cret\nonlyapassword\n", "user", "import", "--stdin"), 1,
                "mailwarden: line 2 on stdin is not 'ADDRESS PASSWORD' (one space between), such as: printf"
                        + " 'alice@example.test secret\\n' | mailwarden user import --stdin\n");
        assertOk(cli.run("user", "list"), "");
        assertFails(cli.runWithStdin("\n# nobody\n", "user", "import", "--stdin"), 1,
                "mailwarden: no accounts on stdin; give one 'ADDRESS PASSWORD' line each, such as: printf"
                        + " 'alice@example.test secret\\n' | mailwarden user import --stdin\n");
        assertFails(cli.runWithStdin("a@example.test " + "x".repeat(2048) + "\n", "user", "import", "--stdin"), 1,
                "mailwarden: line 1 on stdin is longer than 2048 bytes\n");
        Result stopped = cli.runWithStdin("alice@example.test s3cret\nbob@example.test pw\nALICE@example.test again\n"
                + "carol@example.test pw\n", "user", "import", "--stdin");
        assertThat(stopped.out()).isEqualTo("added user alice@example.test\nadded user bob@example.test\n");
        assertThat(stopped.err()).isEqualTo("mailwarden: line 3 (ALICE@example.test): user ALICE@example.test already"
                + " exists; the 2 accounts before it were added\n");
        assertThat(stopped.status()).isEqualTo(1);
        assertOk(cli.run("user", "list"), "alice@example.test\nbob@example.test\n");
        assertFails(cli.runWithStdin("carol@nope.test pw\n", "user", "import", "--stdin"), 1,
                "mailwarden: line 1 (carol@nope.test): domain nope.test does not exist; add it with: mailwarden domain add"
                        + " nope.test; nothing was added\n");
        assertFails(cli.run("user", "import"), 2,
                "mailwarden: Missing required option: '--stdin' (see: mailwarden user import --help)\n");
    }

    // ---- aliases

    @Test
    void aliasesRoundTrip() {
        cli.run("domain", "add", "example.test");
        cli.runWithStdin("pw\n", "user", "add", "alice@example.test", "--password-stdin");
        cli.runWithStdin("pw\n", "user", "add", "bob@example.test", "--password-stdin");
        assertOk(cli.run("alias", "add", "sales@example.test", "alice@example.test"),
                "added alias sales@example.test -> alice@example.test\n");
        assertOk(cli.run("alias", "add", "sales@example.test", "bob@example.test"),
                "added alias sales@example.test -> bob@example.test\n");
        assertOk(cli.run("alias", "add", "postmaster@example.test", "alice@example.test"),
                "added alias postmaster@example.test -> alice@example.test\n");
        assertOk(cli.run("alias", "list"), """
                postmaster@example.test  ->  alice@example.test
                sales@example.test       ->  alice@example.test
                sales@example.test       ->  bob@example.test
                """);
        assertOk(cli.run("alias", "remove", "sales@example.test", "bob@example.test"),
                "removed alias sales@example.test -> bob@example.test\n");
        assertOk(cli.run("alias", "remove", "postmaster@example.test"),
                "removed alias postmaster@example.test -> alice@example.test\n");
        assertOk(cli.run("alias", "list"), "sales@example.test  ->  alice@example.test\n");
    }

    @Test
    void aliasMistakes() {
        cli.run("domain", "add", "example.test");
        cli.runWithStdin("pw\n", "user", "add", "alice@example.test", "--password-stdin");
        assertFails(cli.run("alias", "add", "sales@example.test", "carol@example.test"), 1,
                "mailwarden: user carol@example.test does not exist\n");
        assertFails(cli.run("alias", "add", "sales@other.test", "alice@example.test"), 1,
                "mailwarden: domain other.test does not exist; add it with: mailwarden domain add other.test\n");
        assertFails(cli.run("alias", "add", "alice@example.test", "alice@example.test"), 1,
                "mailwarden: alice@example.test is a user; an alias needs an address of its own\n");
        cli.run("alias", "add", "sales@example.test", "alice@example.test");
        assertFails(cli.run("alias", "add", "sales@example.test", "alice@example.test"), 1,
                "mailwarden: alias sales@example.test already points to alice@example.test\n");
        assertFails(cli.runWithStdin("pw\n", "user", "add", "sales@example.test", "--password-stdin"), 1,
                "mailwarden: sales@example.test is an alias; remove it first with: mailwarden alias remove sales@example.test\n");
        assertFails(cli.run("alias", "remove", "info@example.test"), 1,
                "mailwarden: alias info@example.test does not exist (see: mailwarden alias list)\n");
        assertFails(cli.run("alias", "remove", "sales@example.test", "bob@example.test"), 1,
                "mailwarden: alias sales@example.test does not point to bob@example.test\n");
    }

    // ---- relay rules

    @Test
    void relayRulesRoundTrip() {
        assertOk(cli.run("relay", "show"), """
                relay mode: restricted
                match from any  for local domains  action deliver  # existing users and aliases only
                match auth      for any            action relay    # rule 1: clients that log in
                match from any  for any            action reject   # 554 5.7.1 Relay access denied
                """);
        assertOk(cli.run("relay", "allow", "192.0.2.9/24"), "added 192.0.2.0/24 to the allow list\n");
        assertOk(cli.run("relay", "listener", "192.0.2.1"), "added 192.0.2.1 to the listener list\n");
        assertOk(cli.run("relay", "deny", "198.51.100.0/24"), "added 198.51.100.0/24 to the deny list\n");
        assertOk(cli.run("relay", "auth", "off"), "rule 1 off: logging in does not let a client relay\n");
        assertOk(cli.run("relay", "show"), """
                relay mode: restricted
                match from any               for local domains  action deliver  # existing users and aliases only
                match from 198.51.100.0/24   for any            action reject   # rule 4: never relay
                match from 192.0.2.0/24      for any            action relay    # rule 2: allowed client
                match on listener 192.0.2.1  for any            action relay    # rule 3: internal listener
                match from any               for any            action reject   # 554 5.7.1 Relay access denied
                # rule 1 is off: logging in does not let a client relay
                """);
        assertOk(cli.run("relay", "mode", "local-only"), "relay mode: local-only\n");
        assertOk(cli.run("relay", "show"), """
                relay mode: local-only
                match from any  for local domains  action deliver  # existing users and aliases only
                match from any  for any            action reject   # local-only mode: nothing is relayed
                # kept for restricted mode: auth off, allow 192.0.2.0/24, listener 192.0.2.1, deny 198.51.100.0/24
                """);
        assertOk(cli.run("relay", "mode", "restricted"), "relay mode: restricted\n");
        assertOk(cli.run("relay", "auth", "ON"), "rule 1 on: clients that log in may relay\n");
        assertOk(cli.run("relay", "remove", "192.0.2.0/24"), "removed 192.0.2.0/24 from the allow list\n");
        assertOk(cli.run("relay", "remove", "192.0.2.1"), "removed 192.0.2.1 from the listener list\n");
        assertOk(cli.run("relay", "remove", "--list", "deny", "198.51.100.0/24"), "removed 198.51.100.0/24 from the deny list\n");
        assertOk(cli.run("relay", "show"), """
                relay mode: restricted
                match from any  for local domains  action deliver  # existing users and aliases only
                match auth      for any            action relay    # rule 1: clients that log in
                match from any  for any            action reject   # 554 5.7.1 Relay access denied
                """);
    }

    @Test
    void relayMistakes() {
        assertFails(cli.run("relay", "allow", "10.0.0.0/33"), 1,
                "mailwarden: '10.0.0.0/33': prefix length must be from 0 to 32 for an IPv4 address\n");
        assertFails(cli.run("relay", "deny", "example.test"), 1,
                "mailwarden: 'example.test' is not an IP address or CIDR subnet (examples: 192.0.2.7, 192.0.2.0/24, 2001:db8::/32)\n");
        cli.run("relay", "allow", "10.0.0.0/8");
        assertFails(cli.run("relay", "allow", "10.1.2.3/8"), 1, "mailwarden: 10.0.0.0/8 is already in the allow list\n");
        cli.run("relay", "deny", "10.0.0.0/8");
        assertFails(cli.run("relay", "remove", "10.0.0.0/8"), 1,
                "mailwarden: 10.0.0.0/8 is in the allow and the deny list; say which with: mailwarden relay remove --list allow 10.0.0.0/8\n");
        assertFails(cli.run("relay", "remove", "172.16.0.0/12"), 1,
                "mailwarden: 172.16.0.0/12 is in none of the relay lists (see: mailwarden relay show)\n");
        assertFails(cli.run("relay", "remove", "--list", "listener", "10.0.0.0/8"), 1,
                "mailwarden: 10.0.0.0/8 is not in the listener list (see: mailwarden relay show)\n");
        assertFails(cli.run("relay", "mode", "open"), 2,
                "mailwarden: unknown relay mode 'open'; expected restricted or local-only\n");
        assertFails(cli.run("relay", "auth", "maybe"), 2,
                "mailwarden: Invalid value for positional parameter at index 0 (on|off): expected one of [on, off]"
                        + " (case-insensitive) but was 'maybe' (see: mailwarden relay auth --help)\n");
        assertFails(cli.run("relay", "remove", "--list", "everywhere", "10.0.0.0/8"), 2,
                "mailwarden: Invalid value for option '--list': 'everywhere' is not a relay list; expected allow,"
                        + " listener or deny (see: mailwarden relay remove --help)\n");
    }

    // ---- routes

    @Test
    void routesRoundTrip() {
        assertOk(cli.run("route", "list"), "*  MX lookup\n");
        assertOk(cli.run("route", "smarthost", "203.0.113.5:25"), "smarthost: 203.0.113.5:25\n");
        assertOk(cli.run("route", "add", "Partner.test", "127.0.0.1:2626"), "route partner.test -> 127.0.0.1:2626\n");
        assertOk(cli.run("route", "add", "v6.test", "[2001:db8::1]:25"), "route v6.test -> [2001:db8::1]:25\n");
        assertOk(cli.run("route", "list"), """
                partner.test  127.0.0.1:2626
                v6.test       [2001:db8::1]:25
                *             smarthost 203.0.113.5:25
                """);
        assertOk(cli.run("route", "add", "partner.test", "mx.partner.test:2525"), "route partner.test -> mx.partner.test:2525\n");
        assertOk(cli.run("route", "remove", "v6.test"), "removed the route for v6.test\n");
        assertOk(cli.run("route", "smarthost", "none"), "smarthost: none (MX lookup)\n");
        assertOk(cli.run("route", "list"), "partner.test  mx.partner.test:2525\n*             MX lookup\n");
    }

    @Test
    void routeMistakes() {
        assertFails(cli.run("route", "smarthost", "mail.example.net"), 1,
                "mailwarden: 'mail.example.net' is not HOST:PORT, such as smtp.example.net:25 or [2001:db8::1]:25\n");
        assertFails(cli.run("route", "add", "partner.test", "127.0.0.1:70000"), 1,
                "mailwarden: '127.0.0.1:70000': the port must be a number from 1 to 65535\n");
        assertFails(cli.run("route", "remove", "partner.test"), 1,
                "mailwarden: there is no route for partner.test (see: mailwarden route list)\n");
        cli.run("domain", "add", "example.test");
        assertFails(cli.run("route", "add", "example.test", "127.0.0.1:25"), 1,
                "mailwarden: example.test is a local domain; its mail is delivered here and cannot be routed elsewhere\n");
    }

    // ---- settings

    @Test
    void settingsRoundTrip() {
        assertOk(cli.run("settings", "list"), "");
        assertOk(cli.run("settings", "set", "smtp.max_message_size", "10485760"), "smtp.max_message_size = 10485760\n");
        assertOk(cli.run("settings", "set", "smtp.auth_on_mta", "false"), "smtp.auth_on_mta = false\n");
        assertOk(cli.run("settings", "get", "smtp.max_message_size"), "10485760\n");
        assertOk(cli.run("settings", "list"), "smtp.auth_on_mta = false\nsmtp.max_message_size = 10485760\n");
        assertOk(cli.run("settings", "unset", "smtp.auth_on_mta"), "smtp.auth_on_mta back to its default\n");
        assertFails(cli.run("settings", "get", "smtp.auth_on_mta"), 1,
                "mailwarden: setting smtp.auth_on_mta is not set; its built-in default applies\n");
        assertFails(cli.run("settings", "set", "Max Size", "1"), 1,
                "mailwarden: 'Max Size' is not a setting name; names are lower-case words joined by dots, such as smtp.max_message_size\n");
    }

    @Test
    void settingsSetTakesSeveralPairs() {
        assertOk(cli.run("settings", "set", "pop3.allow_plaintext", "on", "imap.allow_plaintext", "on"),
                "pop3.allow_plaintext = on\nimap.allow_plaintext = on\n");
        assertOk(cli.run("settings", "list"), "imap.allow_plaintext = on\npop3.allow_plaintext = on\n");
        assertFails(cli.run("settings", "set", "smtp.auth_on_mta", "false", "Max Size", "1"), 1,
                "mailwarden: 'Max Size' is not a setting name; names are lower-case words joined by dots, such as smtp.max_message_size\n");
        assertFails(cli.run("settings", "set", "smtp.auth_on_mta", "false", "smtp.max_message_size"), 2,
                "mailwarden: setting smtp.max_message_size has no value; give KEY VALUE pairs, such as: mailwarden settings set"
                        + " pop3.allow_plaintext on imap.allow_plaintext on\n");
        assertOk(cli.run("settings", "list"), "imap.allow_plaintext = on\npop3.allow_plaintext = on\n");
    }

    // ---- the command line itself

    @Test
    void usageMistakesExitWithTwo() {
        assertFails(cli.run("domain", "add"), 2, "mailwarden: Missing required parameter: 'NAME' (see: mailwarden domain add --help)\n");
        assertFails(new CliRunner(null).run("domain", "frob", "x"), 2, "mailwarden: Unmatched arguments from index 1: 'frob', 'x' (see: mailwarden domain --help)\n");
        assertFails(cli.run("domain", "add", "a.test", "b.test"), 2,
                "mailwarden: Unmatched argument at index 3: 'b.test' (see: mailwarden domain add --help)\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"domain", "add"}, {"user", "add"}, {"user", "import"}, {"alias", "remove"}, {"relay", "show"},
                {"route", "smarthost"}, {"settings", "set"}}) {
            Result r = cli.run(command[0], command[1], "--help");
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("Usage: mailwarden " + command[0] + " " + command[1]).contains("--config=FILE");
        }
    }

    @Test
    void aMissingConfigFileIsAUsageError() {
        CliRunner noFile = new CliRunner(dir.resolve("nope.toml"));
        assertFails(noFile.run("domain", "list"), 2, "mailwarden: " + dir.resolve("nope.toml")
                + ": cannot read the configuration file: no such file (check the path, or omit --config to run with the defaults)\n");
    }
}
