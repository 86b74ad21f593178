package org.mailwarden.core.policy;

import java.net.InetAddress;
import org.mailwarden.core.address.IpAddresses;

/**
 * The envelope-sender check at {@code MAIL FROM}, a pure function like {@link RelayPolicy}, with named
 * restrictions evaluated in order:
 * <ol>
 *   <li>{@code reject_sender_login_mismatch}: an authenticated client may use only its own address and the
 *       aliases granted to it ({@code 553 5.7.1}); the null sender {@code <>} is allowed, since
 *       auto-replies and notifications use it;</li>
 *   <li>{@code permit_authenticated}: any other sender of an authenticated client is accepted;</li>
 *   <li>{@code reject_unauth_local_sender} (switchable): an unauthenticated client that is not trusted
 *       (not in the allowed list, not on an internal listener, or in the never-relay list) may not claim a
 *       sender in one of our domains ({@code 550 5.7.1}, with a hint to authenticate on the submission port),
 *       because only forgers send our own domains' mail to us from outside;</li>
 *   <li>{@code permit}: everything else.</li>
 * </ol>
 */
public final class SenderPolicy {

    private final boolean refuseLocalSendersFromOutside;

    /**
     * @param refuseLocalSendersFromOutside whether {@code reject_unauth_local_sender} applies; turn it off for
     *                                      sites whose users send through other servers with our domains
     */
    public SenderPolicy(boolean refuseLocalSendersFromOutside) {
        this.refuseLocalSendersFromOutside = refuseLocalSendersFromOutside;
    }

    /** The decision for one {@code MAIL FROM}. */
    public SenderDecision decide(SenderRequest r) {
        InetAddress client = IpAddresses.unmap(r.client());
        String sender = r.sender() == null ? "<>" : r.sender().toSmtpForm();
        if (r.authenticatedAs() != null) {
            if (r.sender() != null && !r.permittedSenders().contains(r.sender().key())) {
                return decision(false, 553, "5.7.1", "Sender address rejected: not owned by the authenticated user",
                        "reject_sender_login_mismatch", "refused: " + r.authenticatedAs() + " may not send as " + sender);
            }
            return decision(true, 250, "2.1.0", "Sender OK", "permit_authenticated",
                    "sender " + sender + " used by its owner " + r.authenticatedAs());
        }
        if (refuseLocalSendersFromOutside && r.sender() != null && r.senderDomainLocal() && !trusted(r, client)) {
            return decision(false, 550, "5.7.1",
                    "Sender address rejected: to send as a local address, authenticate on the submission port",
                    "reject_unauth_local_sender", "refused: unauthenticated client " + IpAddresses.toText(client)
                            + " outside the trusted networks used local sender " + sender);
        }
        return decision(true, 250, "2.1.0", "Sender OK", "permit",
                "sender " + sender + " from unauthenticated client " + IpAddresses.toText(client));
    }

    /** A client that rules 2 or 3 would let relay and that rule 4 does not bar. */
    private static boolean trusted(SenderRequest r, InetAddress client) {
        RelayRules rules = r.rules();
        boolean allowed = RelayPolicy.firstMatch(rules.allowedClients(), client).isPresent()
                || RelayPolicy.firstMatch(rules.internalListeners(), IpAddresses.unmap(r.listener())).isPresent();
        return allowed && RelayPolicy.firstMatch(rules.neverRelay(), client).isEmpty();
    }

    private static SenderDecision decision(boolean accepted, int code, String enhanced, String text, String rule, String reason) {
        return new SenderDecision(accepted, code, enhanced, text, rule, reason + " [" + rule + "]");
    }
}
