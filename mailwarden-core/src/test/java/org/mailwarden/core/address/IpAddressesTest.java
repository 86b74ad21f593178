package org.mailwarden.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "fe80:0:0:0:0:0:0:0, fe80::",
            "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
            "2001:db8:0:1:2:3:4:5, 2001:db8:0:1:2:3:4:5",
            "::ffff:192.0.2.1, 192.0.2.1"
    })
    void printsCanonicalText(String in, String out) {
        assertThat(IpAddresses.toText(IpAddresses.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4 ", "localhost", "1::2::3", "fe80::1%lo",
            "\uFF11.2.3.4", "::g", "[::1]", "1.2.3.-4"})
    void refusesAnythingButNumericAddresses(String bad) {
        assertThat(IpAddresses.parse(bad)).isNull();
    }
}
