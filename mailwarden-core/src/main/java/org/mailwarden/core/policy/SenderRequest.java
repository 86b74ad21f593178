package org.mailwarden.core.policy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;
import org.mailwarden.core.address.MailAddress;

/**
 * Everything the sender check at {@code MAIL FROM} depends on. {@code sender} is null for the null
 * reverse-path {@code <>}. For an authenticated client, {@code authenticatedAs} is its account address and
 * {@code permittedSenders} the {@link MailAddress#key() keys} of the addresses it may use (its own and the
 * aliases granted to it); both are null/empty otherwise. {@code senderDomainLocal} says whether the
 * sender's domain is one of ours.
 */
public record SenderRequest(InetAddress client, InetAddress listener, String authenticatedAs, Set<String> permittedSenders,
                            MailAddress sender, boolean senderDomainLocal, RelayRules rules) {

    public SenderRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(rules, "rules");
        permittedSenders = permittedSenders == null ? Set.of() : Set.copyOf(permittedSenders);
    }
}
