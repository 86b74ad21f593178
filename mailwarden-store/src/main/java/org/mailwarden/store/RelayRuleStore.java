package org.mailwarden.store;

import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;

/** The relay rules and mode as stored; {@link #current()} is the snapshot the relay policy evaluates. */
public interface RelayRuleStore {

    RelayRules current();

    void setAuthenticatedMayRelay(boolean on);

    void setMode(RelayMode mode);

    /** Adds a range to one of the three lists; DUPLICATE if already there. */
    void add(RelayRules.ListKind list, IpRange range);

    /** NOT_FOUND when the range is not in that list. */
    void remove(RelayRules.ListKind list, IpRange range);
}
