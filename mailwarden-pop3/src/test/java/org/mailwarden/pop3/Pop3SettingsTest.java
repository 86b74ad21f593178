package org.mailwarden.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the pop3.* settings: defaults, bounds, and the per-listener plaintext switch. */
class Pop3SettingsTest {

    private static final InetSocketAddress LAN = new InetSocketAddress("192.168.1.10", 110);
    private static final InetSocketAddress WAN = new InetSocketAddress("203.0.113.5", 110);

    @Test
    void defaultsAreSafe() {
        Pop3Settings s = Pop3Settings.from(Map.of());
        assertThat(s.allowsPlaintext(LAN)).isFalse();
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.maxAuthFailures()).isEqualTo(3);
        assertThat(s.maxErrors()).isEqualTo(20);
    }

    @Test
    void plaintextOnOffOrListed() {
        assertThat(Pop3Settings.from(Map.of("pop3.allow_plaintext", "on")).allowsPlaintext(WAN)).isTrue();
        assertThat(Pop3Settings.from(Map.of("pop3.allow_plaintext", "OFF")).allowsPlaintext(WAN)).isFalse();
        Pop3Settings listed = Pop3Settings.from(Map.of("pop3.allow_plaintext", "192.168.1.10:110, [fd00::10], 10.0.0.1:2110"));
        assertThat(listed.allowsPlaintext(LAN)).isTrue();
        assertThat(listed.allowsPlaintext(new InetSocketAddress("192.168.1.10", 2110))).isFalse();
        assertThat(listed.allowsPlaintext(WAN)).isFalse();
        assertThat(listed.allowsPlaintext(new InetSocketAddress("fd00::10", 995))).as("no port: every port").isTrue();
        assertThat(listed.allowsPlaintext(new InetSocketAddress("::ffff:10.0.0.1", 2110))).as("IPv4-mapped").isTrue();
    }

    @Test
    void badValuesFallBackToDefaults() {
        Pop3Settings s = Pop3Settings.from(Map.of("pop3.allow_plaintext", "lan-only", "pop3.idle_timeout_s", "60",
                "pop3.max_auth_failures", "x", "pop3.max_errors", "-1"));
        assertThat(s).isEqualTo(Pop3Settings.DEFAULTS);
        assertThat(Pop3Settings.from(Map.of("pop3.allow_plaintext", "192.168.1.10:99999"))).isEqualTo(Pop3Settings.DEFAULTS);
        assertThat(Pop3Settings.from(Map.of("pop3.allow_plaintext", "mail.example.test:110"))).isEqualTo(Pop3Settings.DEFAULTS);
    }

    @Test
    void idleTimeoutIsAtLeastTenMinutes() {
        assertThat(Pop3Settings.from(Map.of("pop3.idle_timeout_s", "1800")).idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(Pop3Settings.from(Map.of("pop3.idle_timeout_s", "599")).idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }
}
