package org.mailwarden.smtp.server;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailwarden.core.address.MailAddress;
import org.mailwarden.core.address.RcptParameters;
import org.mailwarden.core.address.RcptTo;
import org.mailwarden.core.address.SmtpPath;
import org.mailwarden.core.address.Xtext;
import org.mailwarden.core.net.Connection;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayDecision;
import org.mailwarden.core.policy.RelayPolicy;
import org.mailwarden.core.policy.RelayRequest;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.core.policy.SenderDecision;
import org.mailwarden.core.policy.SenderPolicy;
import org.mailwarden.core.policy.SenderRequest;
import org.mailwarden.store.AcceptRequest;

/**
 * The envelope decisions of a session, joining what only SMTP knows (which path form was used, whether
 * an address literal names this server, who the accounts behind a local address are) with the pure
 * core policies that decide: {@link SenderPolicy} at MAIL, {@link RelayPolicy} at RCPT. Each verdict
 * carries the reply and the reason for the log line.
 */
final class EnvelopeChecks {

    private static final RelayPolicy RELAY = new RelayPolicy();
    private static final SenderPolicy REFUSE_FORGED = new SenderPolicy(true);
    private static final SenderPolicy ALLOW_FORGED = new SenderPolicy(false);

    private final LocalDirectory directory;
    private final Set<InetAddress> listenerAddresses;

    /**
     * @param listenerAddresses the addresses our listeners are bound to; an address literal is local only
     *                          when it names one of them (or the address the client connected to)
     */
    EnvelopeChecks(LocalDirectory directory, Set<InetAddress> listenerAddresses) {
        this.directory = directory;
        this.listenerAddresses = Set.copyOf(listenerAddresses);
    }

    /** The verdict on a MAIL FROM; {@code address} is the sender as it goes into the queue ("" for {@code <>}). */
    record SenderVerdict(boolean allowed, String address, boolean localSender, String reason, Reply reply) {
    }

    /** What happens to one recipient. */
    enum Decision { LOCAL, RELAY, REFUSED }

    /**
     * The verdict on a RCPT TO: for LOCAL the accounts it delivers to; for RELAY the outbound recipient
     * with its DSN parameters and the key that identifies duplicates.
     */
    record RecipientVerdict(Decision decision, String address, String key, List<Long> accountIds,
                            AcceptRequest.OutboundRecipient outbound, String reason, Reply reply) {
    }

    SenderVerdict sender(SmtpPath reversePath, ClientInfo client, Authentication.Identity identity, PolicySnapshot policy) {
        MailAddress sender = switch (reversePath) {
            case SmtpPath.Mailbox m -> m.address();
            case SmtpPath.Literal l -> l.address();
            case SmtpPath.Null n -> null;
            case SmtpPath.Postmaster p -> null; // the parser gives Postmaster only for RCPT
        };
        boolean local = reversePath instanceof SmtpPath.Mailbox m && policy.isLocalDomain(m.address().domain());
        Set<String> permitted = identity == null ? Set.of() : directory.sendableAddresses(identity.accountId());
        SenderRequest request = new SenderRequest(client.clientAddress(), client.localAddress(),
                identity == null ? null : identity.address(), permitted, sender, local, policy.rules());
        SenderPolicy senderPolicy = policy.settings().rejectForgedLocalSender() ? REFUSE_FORGED : ALLOW_FORGED;
        SenderDecision d = senderPolicy.decide(request);
        return new SenderVerdict(d.accepted(), sender == null ? "" : sender.toSmtpForm(), local, d.reason(),
                Reply.of(d.code(), d.enhancedCode(), d.text()));
    }

    RecipientVerdict recipient(RcptTo to, ClientInfo client, Authentication.Identity identity, Connection.TlsInfo tls,
                               PolicySnapshot policy) {
        Destination dest = destination(to.forwardPath(), client, policy);
        RelayDecision d = RELAY.decide(new RelayRequest(client.clientAddress(), client.localAddress(),
                identity == null ? null : identity.address(), tls != null, dest.address(), dest.local(),
                !dest.accounts().isEmpty(), policy.rules()));
        String shown = dest.address().toSmtpForm();
        Reply reply = Reply.of(d.code(), d.enhancedCode(), d.text());
        return switch (d.verdict()) {
            case ACCEPT_LOCAL -> new RecipientVerdict(Decision.LOCAL, shown, dest.address().key(), dest.accounts(), null,
                    d.reason(), reply);
            case ACCEPT_RELAY -> new RecipientVerdict(Decision.RELAY, shown, dest.address().key(), List.of(),
                    outbound(dest.address(), to.parameters()), d.reason(), reply);
            case REJECT_UNKNOWN_USER, REJECT_RELAY -> new RecipientVerdict(Decision.REFUSED, shown, dest.address().key(),
                    List.of(), null, d.reason(), reply);
        };
    }

    /**
     * Whether the client is in a trusted network (relay rules 2 or 3, not barred by rule 4), which makes
     * its senders eligible for delivery status notifications.
     */
    boolean trustedNetwork(ClientInfo client, PolicySnapshot policy) {
        RelayRules rules = policy.rules();
        boolean allowed = matches(rules.allowedClients(), client.clientAddress())
                || matches(rules.internalListeners(), client.localAddress());
        return allowed && !matches(rules.neverRelay(), client.clientAddress());
    }

    private static boolean matches(List<IpRange> ranges, InetAddress address) {
        return ranges.stream().anyMatch(r -> r.contains(address));
    }

    /** Where a forward-path leads: the address, whether its domain is ours, and the accounts it reaches. */
    private record Destination(MailAddress address, boolean local, List<Long> accounts) {
    }

    private Destination destination(SmtpPath path, ClientInfo client, PolicySnapshot policy) {
        return switch (path) {
            case SmtpPath.Mailbox m -> {
                MailAddress a = m.address();
                yield policy.isLocalDomain(a.domain())
                        ? new Destination(a, true, directory.resolve(a.localPart(), a.domain()))
                        : new Destination(a, false, List.of());
            }
            case SmtpPath.Literal l -> literalIsOurs(l.ip(), client, policy)
                    ? new Destination(l.address(), true,
                            directory.resolveUnique(l.localPart(), policy.localDomains()))
                    : new Destination(l.address(), false, List.of());
            case SmtpPath.Postmaster p -> {
                String domain = policy.localDomains().stream().sorted().findFirst().orElse("localhost");
                yield new Destination(new MailAddress(p.localPart(), domain), true,
                        directory.resolvePostmaster(policy.localDomains()));
            }
            case SmtpPath.Null n -> throw new IllegalArgumentException("the null path is no recipient");
        };
    }

    private boolean literalIsOurs(InetAddress ip, ClientInfo client, PolicySnapshot policy) {
        return policy.settings().addressLiterals()
                && (listenerAddresses.contains(ip) || ip.equals(client.localAddress()));
    }

    /** The queue entry of a relayed recipient, with its RFC 3461 NOTIFY and ORCPT as the outbound side needs them. */
    private static AcceptRequest.OutboundRecipient outbound(MailAddress address, RcptParameters p) {
        String notify = p.notifyOn().isEmpty() ? null
                : p.notifyOn().stream().map(n -> n.name()).sorted().collect(Collectors.joining(","));
        String orcpt = p.orcpt() == null ? null
                : p.orcpt().addressType().toLowerCase(Locale.ROOT) + ";" + Xtext.encode(p.orcpt().address());
        return new AcceptRequest.OutboundRecipient(address.toSmtpForm(), orcpt, notify);
    }
}
