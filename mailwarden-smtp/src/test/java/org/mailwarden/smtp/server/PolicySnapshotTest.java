package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.RuntimeConfig;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The SMTP policy is the runtime config's domains, relay rules and smtp.* settings, read once per change. */
class PolicySnapshotTest {

    @TempDir
    Path dir;

    @Test
    void followsTheRuntimeConfig() {
        try (Store store = TestStores.sqlite(dir)) {
            long[] nanos = {0};
            RuntimeConfig.View<PolicySnapshot> policy = RuntimeConfig.follow(store, () -> nanos[0])
                    .view(PolicySnapshot::of);
            PolicySnapshot first = policy.current();
            assertThat(first.localDomains()).isEmpty();
            assertThat(first.settings()).isEqualTo(SmtpSettings.DEFAULTS);

            store.domains().add("example.test", null);
            store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
            store.settings().set("smtp.max_recipients", "7");
            nanos[0] += RuntimeConfig.POLL_INTERVAL.toNanos();
            PolicySnapshot second = policy.current();
            assertThat(second.isLocalDomain("example.test")).isTrue();
            assertThat(second.rules().allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"));
            assertThat(second.settings().maxRecipients()).isEqualTo(7);
            assertThat(policy.current()).isSameAs(second);
        }
    }

    @Test
    void aBadSettingFallsBackToItsDefault() {
        SmtpSettings s = SmtpSettings.from(Map.of("smtp.max_recipients", "lots", "smtp.auth_on_mta", "off",
                "smtp.max_message_size", "1", "smtp.error_delay_ms", "250"));
        assertThat(s.maxRecipients()).isEqualTo(100);
        assertThat(s.authOnMta()).isFalse();
        assertThat(s.maxMessageSize()).isEqualTo(SmtpSettings.DEFAULTS.maxMessageSize()); // below the minimum
        assertThat(s.delayAfter(5)).isZero();
        assertThat(s.delayAfter(7)).hasMillis(500);
        assertThat(s.delayAfter(100)).hasMillis(2500);
    }
}
