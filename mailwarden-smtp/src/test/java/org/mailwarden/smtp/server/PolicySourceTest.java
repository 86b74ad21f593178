package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.Store;
import org.mailwarden.store.testing.TestStores;

/** The policy snapshot follows the store's change counter, looking at most every 250 ms. */
class PolicySourceTest {

    @TempDir
    Path dir;

    @Test
    void reloadsWhenTheCounterMovedAndOnlyAfterTheInterval() {
        try (Store store = TestStores.sqlite(dir)) {
            AtomicLong nanos = new AtomicLong();
            PolicySource source = new PolicySource(store, nanos::get);
            PolicySnapshot first = source.current();
            assertThat(first.localDomains()).isEmpty();
            assertThat(first.settings()).isEqualTo(SmtpSettings.DEFAULTS);

            store.domains().add("example.test", null);
            store.relayRules().add(RelayRules.ListKind.ALLOW, IpRange.parse("192.0.2.0/24"));
            store.settings().set("smtp.max_recipients", "7");
            nanos.addAndGet(100_000_000L);
            assertThat(source.current()).isSameAs(first); // within the interval nothing is read

            nanos.addAndGet(200_000_000L);
            PolicySnapshot second = source.current();
            assertThat(second.isLocalDomain("example.test")).isTrue();
            assertThat(second.rules().allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"));
            assertThat(second.settings().maxRecipients()).isEqualTo(7);

            nanos.addAndGet(1_000_000_000L);
            assertThat(source.current()).isSameAs(second); // counter unchanged: same snapshot
        }
    }

    @Test
    void aBadSettingFallsBackToItsDefault() {
        SmtpSettings s = SmtpSettings.from(java.util.Map.of("smtp.max_recipients", "lots", "smtp.auth_on_mta", "off",
                "smtp.max_message_size", "1", "smtp.error_delay_ms", "250"));
        assertThat(s.maxRecipients()).isEqualTo(100);
        assertThat(s.authOnMta()).isFalse();
        assertThat(s.maxMessageSize()).isEqualTo(SmtpSettings.DEFAULTS.maxMessageSize()); // below the minimum
        assertThat(s.delayAfter(5)).isZero();
        assertThat(s.delayAfter(7)).hasMillis(500);
        assertThat(s.delayAfter(100)).hasMillis(2500);
    }
}
