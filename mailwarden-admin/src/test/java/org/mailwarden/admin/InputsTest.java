package org.mailwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.store.Routes.HostPort;

class InputsTest {

    @Test
    void domainsAreLowerCasedAndIdnsBecomeALabels() {
        assertThat(Inputs.domain(" Example.TEST ")).isEqualTo("example.test");
        assertThat(Inputs.domain("bücher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(Inputs.domain("localhost")).isEqualTo("localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.test", "-a.test", "a-.test", "a..test", "a.test.", ".a.test", "192.0.2.1",
            "[192.0.2.1]", "a_b.test", "a@b.test"})
    void malformedDomainsAreRefusedWithTheInputQuoted(String input) {
        assertThatThrownBy(() -> Inputs.domain(input))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("'" + input.substring(0, input.length() - 5));
    }

    @Test
    void domainErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Inputs.domain("")).hasMessage("empty domain name");
        assertThatThrownBy(() -> Inputs.domain("exa mple.test"))
                .hasMessage("domain name 'exa mple.test' contains a space; only letters, digits, hyphens and dots are allowed");
        assertThatThrownBy(() -> Inputs.domain("example.test."))
                .hasMessage("domain name 'example.test.' ends with a dot; write it without the trailing dot");
    }

    @Test
    void domainLengthsAreBounded() {
        String label63 = "a".repeat(63);
        assertThat(Inputs.domain(label63 + ".test")).hasSize(68);
        assertThatThrownBy(() -> Inputs.domain("a" + label63 + ".test")).isInstanceOf(AdminException.class);
        String longName = (label63 + ".").repeat(4) + "test";
        assertThatThrownBy(() -> Inputs.domain(longName)).isInstanceOf(AdminException.class);
    }

    @Test
    void addressesKeepTheLocalPartCaseAndNormaliseTheDomain() {
        Inputs.Address a = Inputs.address("Alice.Smith@Example.TEST");
        assertThat(a.localPart()).isEqualTo("Alice.Smith");
        assertThat(a.domain()).isEqualTo("example.test");
        assertThat(a).hasToString("Alice.Smith@example.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "@example.test", "alice@"})
    void addressesWithoutBothPartsAreRefused(String input) {
        assertThatThrownBy(() -> Inputs.address(input))
                .hasMessage("'" + input + "' is not an address; expected local-part@domain such as alice@example.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b@example.test", "\"q\"@example.test", "a..b@example.test", ".a@example.test",
            "a.@example.test", "a@b@example.test", "a%b@example.test", "a!b@example.test"})
    void onlyPlainLocalPartsAreAccepted(String input) {
        assertThatThrownBy(() -> Inputs.address(input))
                .isInstanceOf(AdminException.class)
                .hasMessageStartingWith("'" + input + "' is not ");
    }

    @Test
    void localPartsAreAtMost64Characters() {
        assertThat(Inputs.address("a".repeat(64) + "@example.test").localPart()).hasSize(64);
        assertThatThrownBy(() -> Inputs.address("a".repeat(65) + "@example.test")).isInstanceOf(AdminException.class);
    }

    @Test
    void hostPortsAcceptNamesAndAddresses() {
        assertThat(Inputs.hostPort("SMTP.Example.net:587")).isEqualTo(new HostPort("smtp.example.net", 587));
        assertThat(Inputs.hostPort("203.0.113.5:25")).isEqualTo(new HostPort("203.0.113.5", 25));
        assertThat(Inputs.hostPort("[2001:DB8::1]:2525")).isEqualTo(new HostPort("2001:db8::1", 2525));
        assertThat(Inputs.hostPort("[2001:db8::1]:25")).hasToString("[2001:db8::1]:25");
    }

    @Test
    void hostPortErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Inputs.hostPort("smtp.example.net"))
                .hasMessage("'smtp.example.net' is not HOST:PORT, such as smtp.example.net:25 or [2001:db8::1]:25");
        assertThatThrownBy(() -> Inputs.hostPort("mx.example.net:99999"))
                .hasMessage("'mx.example.net:99999': the port must be a number from 1 to 65535");
        assertThatThrownBy(() -> Inputs.hostPort("mx.example.net:0"))
                .hasMessage("'mx.example.net:0': the port must be a number from 1 to 65535");
        assertThatThrownBy(() -> Inputs.hostPort("mx.example.net:"))
                .hasMessage("'mx.example.net:': the port must be a number from 1 to 65535");
        assertThatThrownBy(() -> Inputs.hostPort("2001:db8::1:25"))
                .hasMessage("'2001:db8::1:25': write an IPv6 address in brackets, such as [2001:db8::1]:25");
        assertThatThrownBy(() -> Inputs.hostPort("exa mple:25"))
                .hasMessage("'exa mple:25': 'exa mple' is not a host name or IP address");
        assertThatThrownBy(() -> Inputs.hostPort("999.1.1.1:25"))
                .hasMessage("'999.1.1.1:25': '999.1.1.1' is not a host name or IP address");
        assertThatThrownBy(() -> Inputs.hostPort("[zz]:25"))
                .hasMessage("'[zz]:25': 'zz' is not an IPv6 address");
        assertThatThrownBy(() -> Inputs.hostPort(":25"))
                .hasMessage("':25' is not HOST:PORT, such as smtp.example.net:25 or [2001:db8::1]:25");
    }

    @Test
    void cidrErrorsComeFromIpRange() {
        assertThatThrownBy(() -> Inputs.ipRange("10.0.0.0/33"))
                .isInstanceOf(AdminException.class)
                .hasMessage("'10.0.0.0/33': prefix length must be from 0 to 32 for an IPv4 address");
    }

    @Property(tries = 2000)
    void parsersRefuseGarbageOnlyWithAdminExceptions(@ForAll String input) {
        for (Runnable parse : new Runnable[] {() -> Inputs.domain(input), () -> Inputs.address(input),
                () -> Inputs.hostPort(input), () -> Inputs.ipRange(input)}) {
            try {
                parse.run();
            } catch (AdminException expected) {
                assertThat(expected.getMessage()).doesNotContain("\n");
            }
        }
    }

    @Property(tries = 1000)
    void acceptedDomainsAreLowerCaseLdh(@ForAll String input) {
        try {
            assertThat(Inputs.domain(input)).matches("[a-z0-9.-]{1,253}");
        } catch (AdminException expected) {
            // refused is fine; anything else is a bug
        }
    }
}
