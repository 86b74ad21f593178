package org.mailwarden.store;

import java.util.List;

/**
 * Aliases: an extra address in a local domain that delivers to an account and that the account may use
 * as its envelope sender when it authenticates. One alias address may point at several accounts (a
 * small distribution list); each of them may then send as it.
 */
public interface Aliases {

    record Alias(String localPart, String domain, long accountId, String accountAddress) {
        public String address() {
            return localPart + "@" + domain;
        }
    }

    /** NOT_FOUND when the domain is not local or the account is missing; DUPLICATE when the pair exists or the address is an account. */
    Alias add(String localPart, String domain, long accountId);

    /** Removes the alias entirely ({@code accountId} null) or only its mapping to one account. */
    void remove(String localPart, String domain, Long accountId);

    /** The accounts an alias address delivers to; empty when it is no alias. */
    List<Alias> resolve(String localPart, String domain);

    /** The aliases that an account may send as. */
    List<Alias> forAccount(long accountId);

    List<Alias> list();
}
