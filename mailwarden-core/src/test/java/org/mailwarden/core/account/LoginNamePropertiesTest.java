package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mailwarden.core.address.DomainName;

class LoginNamePropertiesTest {

    @Provide
    Arbitrary<String> logins() {
        return Arbitraries.strings().withChars("aB1@\\.-_ \t\0\u00e9\u200b").ofMaxLength(40);
    }

    @Property(tries = 3000)
    void parsesOrRefusesWithIllegalArgument(@ForAll("logins") String text) {
        LoginName name;
        try {
            name = LoginName.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(text).doesNotContain(" ", "\t", "\0", "\u200b");
        switch (name) {
            case LoginName.Address a -> {
                assertThat(DomainName.normalize(text.substring(text.lastIndexOf('@') + 1))).isEqualTo(a.domain());
                assertThat(a.localPart()).doesNotContain("@", "\\").isNotEmpty();
            }
            case LoginName.Qualified q -> assertThat(q.user()).doesNotContain("@", "\\").isNotEmpty();
            case LoginName.Bare b -> assertThat(b.user()).doesNotContain("@", "\\").isNotEmpty();
        }
    }
}
