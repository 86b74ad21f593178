package org.mailwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.account.AuthThrottle;
import org.mailwarden.core.net.ConnectionLimits;

class RuntimeLimitsTest {

    private static final ConnectionLimits FROM_CONFIG = new ConnectionLimits(500, 10);

    @Test
    void withoutSettingsTheConfigFileAndTheSafeDefaultsApply() {
        assertThat(RuntimeLimits.connections(Map.of(), FROM_CONFIG)).isEqualTo(FROM_CONFIG);
        assertThat(RuntimeLimits.authThrottle(Map.of())).isEqualTo(AuthThrottle.Settings.defaults());
    }

    @Test
    void settingsOverrideEachLimit() {
        assertThat(RuntimeLimits.connections(Map.of("limits.max_connections", "50", "limits.max_connections_per_ip", " 3 "),
                FROM_CONFIG)).isEqualTo(new ConnectionLimits(50, 3));
        AuthThrottle.Settings s = RuntimeLimits.authThrottle(Map.of("auth.max_failures_per_ip", "5",
                "auth.max_failures_per_account", "4", "auth.window_s", "60", "auth.lockout_s", "3600", "auth.max_delay_s", "8"));
        assertThat(s.maxFailuresPerAddress()).isEqualTo(5);
        assertThat(s.maxFailuresPerLogin()).isEqualTo(4);
        assertThat(s.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.lockout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.maxDelay()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aBadValueNeverLoosensALimit() {
        for (String bad : new String[] {"0", "-1", "many", "", "99999999999", "1.5"}) {
            assertThat(RuntimeLimits.connections(Map.of("limits.max_connections_per_ip", bad), FROM_CONFIG))
                    .as(bad).isEqualTo(FROM_CONFIG);
            assertThat(RuntimeLimits.authThrottle(Map.of("auth.max_failures_per_ip", bad)).maxFailuresPerAddress())
                    .as(bad).isEqualTo(AuthThrottle.Settings.defaults().maxFailuresPerAddress());
        }
    }
}
