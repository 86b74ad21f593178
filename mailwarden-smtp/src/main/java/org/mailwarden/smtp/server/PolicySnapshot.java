package org.mailwarden.smtp.server;

import java.util.Set;
import org.mailwarden.core.policy.RelayRules;

/**
 * Everything the SMTP decisions read from the store, taken together at one change-counter value: the
 * local domains, the relay rules and the SMTP settings. Immutable, so one command is decided against
 * one consistent view.
 */
record PolicySnapshot(long version, Set<String> localDomains, RelayRules rules, SmtpSettings settings) {

    public PolicySnapshot {
        localDomains = Set.copyOf(localDomains);
    }

    public boolean isLocalDomain(String domain) {
        return localDomains.contains(domain);
    }
}
