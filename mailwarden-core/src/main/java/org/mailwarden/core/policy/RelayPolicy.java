package org.mailwarden.core.policy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mailwarden.core.address.IpAddresses;

/**
 * The relay decision: which recipients a client may give at {@code RCPT TO}. A pure function of the
 * {@link RelayRequest}, evaluated as an ordered list of named restrictions in the spirit of Postfix's
 * {@code smtpd_relay_restrictions}; the first restriction that decides wins, and its name appears in the
 * decision:
 * <ol>
 *   <li>{@code local_destination}: a recipient in a local domain is accepted when the mailbox exists and
 *       refused with {@code 550 5.1.1} when it does not, for every client;</li>
 *   <li>{@code reject_never_relay} (rule 4): a client in the never-relay list may not relay;</li>
 *   <li>{@code reject_local_only_mode}: in local-only mode nobody relays;</li>
 *   <li>{@code permit_authenticated} (rule 1): an authenticated client relays when the rule is on;</li>
 *   <li>{@code permit_allowed_clients} (rule 2): a client address in the allowed list relays;</li>
 *   <li>{@code permit_internal_listeners} (rule 3): a client connected to an internal listener address relays;</li>
 *   <li>{@code reject_unauth_destination}: everyone else is refused with {@code 554 5.7.1 Relay access denied}.</li>
 * </ol>
 * Rule 4 is "hosts that can never <em>relay</em>": it outranks every rule that permits relay but does not
 * stop delivery to existing local mailboxes, because refusing that would only make those hosts' mail to
 * our users bounce while protecting nothing. To block a host completely, refuse its connection instead.
 * An IPv4-mapped IPv6 client ({@code ::ffff:192.0.2.7}) is judged as the IPv4 address it is.
 */
public final class RelayPolicy {

    private static final int OK = 250;

    /** The decision for one recipient. */
    public RelayDecision decide(RelayRequest r) {
        InetAddress client = IpAddresses.unmap(r.client());
        InetAddress listener = IpAddresses.unmap(r.listener());
        for (Restriction restriction : Restriction.values()) {
            Optional<RelayDecision> d = restriction.evaluate(r, client, listener);
            if (d.isPresent()) {
                return d.get();
            }
        }
        throw new IllegalStateException("the last restriction always decides");
    }

    /** The restriction names in evaluation order, as they appear in decisions and logs. */
    public static List<String> restrictionNames() {
        return Arrays.stream(Restriction.values()).map(Restriction::word).toList();
    }

    /** One named step of the decision; returns empty when it does not apply. */
    private enum Restriction {
        LOCAL_DESTINATION("local_destination") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                if (!r.recipientDomainLocal()) {
                    return Optional.empty();
                }
                String who = r.recipient().toSmtpForm();
                if (r.recipientExists()) {
                    return decision(RelayDecision.Verdict.ACCEPT_LOCAL, OK, "2.1.5", "Recipient OK",
                            "local delivery: " + who + " is an existing mailbox in local domain " + r.recipient().domain());
                }
                return decision(RelayDecision.Verdict.REJECT_UNKNOWN_USER, 550, "5.1.1", "Recipient address rejected: user unknown",
                        "refused: " + who + " does not exist in local domain " + r.recipient().domain());
            }
        },
        REJECT_NEVER_RELAY("reject_never_relay") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                return firstMatch(r.rules().neverRelay(), client).map(range -> denied(
                        "refused: client " + IpAddresses.toText(client) + " is in never-relay list " + range
                                + " (rule 4), foreign domain " + r.recipient().domain()));
            }
        },
        REJECT_LOCAL_ONLY_MODE("reject_local_only_mode") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                if (r.rules().mode() != RelayMode.LOCAL_ONLY) {
                    return Optional.empty();
                }
                return Optional.of(denied("refused: relay mode is local-only and " + r.recipient().domain()
                        + " is not a local domain (client " + IpAddresses.toText(client) + ")"));
            }
        },
        PERMIT_AUTHENTICATED("permit_authenticated") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                if (r.authenticatedAs() == null || !r.rules().authenticatedMayRelay()) {
                    return Optional.empty();
                }
                return relay("relay: client " + IpAddresses.toText(client) + " authenticated as " + r.authenticatedAs()
                        + (r.tls() ? " over TLS" : " without TLS") + " (rule 1)");
            }
        },
        PERMIT_ALLOWED_CLIENTS("permit_allowed_clients") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                return firstMatch(r.rules().allowedClients(), client).flatMap(range -> relay(
                        "relay: client " + IpAddresses.toText(client) + " in allowed list " + range + " (rule 2)"));
            }
        },
        PERMIT_INTERNAL_LISTENERS("permit_internal_listeners") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                return firstMatch(r.rules().internalListeners(), listener).flatMap(range -> relay(
                        "relay: client " + IpAddresses.toText(client) + " connected to internal listener address "
                                + IpAddresses.toText(listener) + " in " + range + " (rule 3)"));
            }
        },
        REJECT_UNAUTH_DESTINATION("reject_unauth_destination") {
            @Override
            Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener) {
                String who = r.authenticatedAs() == null
                        ? "unauthenticated client " + IpAddresses.toText(client)
                        : "client " + IpAddresses.toText(client) + " authenticated as " + r.authenticatedAs()
                          + " (relay for authenticated clients is off)";
                return Optional.of(denied("refused: no rule allows relay for " + who + " to foreign domain " + r.recipient().domain()));
            }
        };

        private final String word;

        Restriction(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }

        abstract Optional<RelayDecision> evaluate(RelayRequest r, InetAddress client, InetAddress listener);

        Optional<RelayDecision> decision(RelayDecision.Verdict verdict, int code, String enhanced, String text, String reason) {
            return Optional.of(new RelayDecision(verdict, code, enhanced, text, word, reason + " [" + word + "]"));
        }

        Optional<RelayDecision> relay(String reason) {
            return decision(RelayDecision.Verdict.ACCEPT_RELAY, OK, "2.1.5", "Recipient OK", reason);
        }

        RelayDecision denied(String reason) {
            return decision(RelayDecision.Verdict.REJECT_RELAY, 554, "5.7.1", "Relay access denied", reason).orElseThrow();
        }
    }

    /** The first range in {@code ranges} containing {@code address}. */
    static Optional<IpRange> firstMatch(List<IpRange> ranges, InetAddress address) {
        return ranges.stream().filter(range -> range.contains(address)).findFirst();
    }
}
