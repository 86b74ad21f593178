package org.mailwarden.smtp.server;

import java.util.Set;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.RuntimeConfig;

/**
 * Everything the SMTP decisions read from the store, taken together at one change-counter value: the
 * local domains, the relay rules and the SMTP settings. Immutable, so one command is decided against
 * one consistent view; sessions get it as a {@link RuntimeConfig#view view} of the server's runtime config.
 */
record PolicySnapshot(long version, Set<String> localDomains, RelayRules rules, SmtpSettings settings) {

    public PolicySnapshot {
        localDomains = Set.copyOf(localDomains);
    }

    /** The SMTP reading of one runtime snapshot. */
    static PolicySnapshot of(RuntimeConfig.Snapshot runtime) {
        return new PolicySnapshot(runtime.changeCounter(), runtime.localDomains(), runtime.relayRules(),
                SmtpSettings.from(runtime.settings()));
    }

    public boolean isLocalDomain(String domain) {
        return localDomains.contains(domain);
    }
}
