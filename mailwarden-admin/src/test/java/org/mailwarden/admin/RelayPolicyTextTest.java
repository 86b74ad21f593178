package org.mailwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;

class RelayPolicyTextTest {

    @Test
    void aFreshInstallRelaysOnlyForClientsThatLogIn() {
        assertThat(RelayPolicyText.lines(RelayRules.defaults())).containsExactly(
                "relay mode: restricted",
                "match from any  for local domains  action deliver  # existing users and aliases only",
                "match auth      for any            action relay    # rule 1: clients that log in",
                "match from any  for any            action reject   # 554 5.7.1 Relay access denied");
    }

    @Test
    void everyRuleGetsALineInTheOrderItIsApplied() {
        RelayRules rules = new RelayRules(false, List.of(IpRange.parse("192.0.2.0/24")),
                List.of(IpRange.parse("192.0.2.1")), List.of(IpRange.parse("198.51.100.0/24"), IpRange.parse("203.0.113.66")),
                RelayMode.RESTRICTED);
        assertThat(RelayPolicyText.lines(rules)).containsExactly(
                "relay mode: restricted",
                "match from any               for local domains  action deliver  # existing users and aliases only",
                "match from 198.51.100.0/24   for any            action reject   # rule 4: never relay",
                "match from 203.0.113.66      for any            action reject   # rule 4: never relay",
                "match from 192.0.2.0/24      for any            action relay    # rule 2: allowed client",
                "match on listener 192.0.2.1  for any            action relay    # rule 3: internal listener",
                "match from any               for any            action reject   # 554 5.7.1 Relay access denied",
                "# rule 1 is off: logging in does not let a client relay");
    }

    @Test
    void localOnlyRelaysNothingAndKeepsTheRulesForLater() {
        RelayRules rules = new RelayRules(true, List.of(IpRange.parse("192.0.2.0/24")), List.of(), List.of(),
                RelayMode.LOCAL_ONLY);
        assertThat(RelayPolicyText.lines(rules)).containsExactly(
                "relay mode: local-only",
                "match from any  for local domains  action deliver  # existing users and aliases only",
                "match from any  for any            action reject   # local-only mode: nothing is relayed",
                "# kept for restricted mode: auth on, allow 192.0.2.0/24");
    }
}
