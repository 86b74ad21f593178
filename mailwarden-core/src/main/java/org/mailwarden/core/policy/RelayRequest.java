package org.mailwarden.core.policy;

import java.net.InetAddress;
import java.util.Objects;
import org.mailwarden.core.address.MailAddress;

/**
 * Everything the relay decision at {@code RCPT TO} depends on. {@code authenticatedAs} is the account
 * address of an authenticated client, or null. {@code recipientDomainLocal} says whether the recipient's
 * domain is one of ours (for an address literal: only when it is one of our listener addresses and the
 * administrator enabled literals); {@code recipientExists} whether it resolves to a local mailbox (directly
 * or through an alias), and is only looked at for local domains. {@code tls} is reported in the reason so
 * a log line shows how an authenticated client connected.
 */
public record RelayRequest(InetAddress client, InetAddress listener, String authenticatedAs, boolean tls,
                           MailAddress recipient, boolean recipientDomainLocal, boolean recipientExists, RelayRules rules) {

    public RelayRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(rules, "rules");
    }
}
