package org.mailwarden.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mailwarden.admin.AdminException;

/** The {@code user import --stdin} input: what goes in as lines comes back as accounts, and junk is refused politely. */
class AccountLinesTest {

    @Provide
    Arbitrary<List<AccountLines.Entry>> accounts() {
        Arbitrary<String> address = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20)
                .map(local -> local + "@example.test");
        // Passwords: anything on one line, spaces included (lone surrogates are not text UTF-8 can carry).
        Arbitrary<String> password = Arbitraries.strings().all().excludeChars('\n', '\r').ofMinLength(1).ofMaxLength(60)
                .filter(p -> p.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        return Arbitraries.entries(address, password).map(e -> new AccountLines.Entry(0, e.getKey(), e.getValue()))
                .list().ofMinSize(1).ofMaxSize(20);
    }

    @Property
    void everyLineComesBackAsItsAccount(@ForAll("accounts") List<AccountLines.Entry> accounts) {
        StringBuilder in = new StringBuilder();
        for (AccountLines.Entry a : accounts) {
            in.append(a.address()).append(' ').append(a.password()).append(accounts.size() % 2 == 0 ? "\r\n" : "\n");
        }
        List<AccountLines.Entry> read = AccountLines.read(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(read).hasSameSizeAs(accounts);
        for (int i = 0; i < accounts.size(); i++) {
            assertThat(read.get(i).line()).isEqualTo(i + 1);
            assertThat(read.get(i).address()).isEqualTo(accounts.get(i).address());
            assertThat(read.get(i).password()).isEqualTo(accounts.get(i).password());
        }
    }

    @Property
    void anyInputGivesAccountsOrOneLineRefusal(@ForAll byte[] input) {
        try {
            assertThat(AccountLines.read(new ByteArrayInputStream(input))).isNotEmpty();
        } catch (AdminException e) {
            assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
        }
    }

    @Example
    void tooManyAccountsAreRefused() {
        String lines = "a@example.test pw\n".repeat(AccountLines.MAX_ACCOUNTS + 1);
        assertThatThrownBy(() -> AccountLines.read(new ByteArrayInputStream(lines.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(AdminException.class).hasMessage("more than 10000 accounts on stdin; split the list");
    }
}
