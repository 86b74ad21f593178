package org.mailwarden.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.core.address.MailAddress;
import org.mailwarden.core.policy.RelayDecision.Verdict;

class RelayPolicyTest {

    private final RelayPolicy policy = new RelayPolicy();

    static final MailAddress LOCAL_USER = new MailAddress("alice", "local.test");
    static final MailAddress FOREIGN_USER = new MailAddress("bob", "example.com");

    /** Client and listener addresses and the rule lists that do or do not contain them, per address family. */
    enum Family {
        IPV4("192.0.2.7", "10.0.0.1", "192.0.2.0/24", "10.0.0.0/8", "192.0.2.0/28", "203.0.113.0/24", "192.0.2.7"),
        IPV6("2001:db8::7", "fd00::1", "2001:db8::/32", "fd00::/8", "2001:db8::7", "2001:db8:ffff::/48", "2001:db8::7"),
        // Dual-stack sockets can hand over IPv4 clients as ::ffff:a.b.c.d; they must match the IPv4 rules.
        IPV4_MAPPED("::ffff:192.0.2.7", "::ffff:10.0.0.1", "192.0.2.0/24", "10.0.0.0/8", "192.0.2.0/28", "203.0.113.0/24", "192.0.2.7");

        final InetAddress client;
        final InetAddress listener;
        final IpRange allowed;
        final IpRange internal;
        final IpRange never;
        final IpRange elsewhere;
        final String shownClient;

        Family(String client, String listener, String allowed, String internal, String never, String elsewhere, String shownClient) {
            this.client = address(client);
            this.listener = address(listener);
            this.allowed = IpRange.parse(allowed);
            this.internal = IpRange.parse(internal);
            this.never = IpRange.parse(never);
            this.elsewhere = IpRange.parse(elsewhere);
            this.shownClient = shownClient;
        }
    }

    enum Recipient { LOCAL_EXISTING, LOCAL_UNKNOWN, FOREIGN }

    record Case(Family family, boolean authenticated, boolean tls, boolean rule1, boolean inAllowed, boolean onInternal,
                boolean inNever, RelayMode mode, Recipient recipient) {

        RelayRequest request() {
            RelayRules rules = new RelayRules(rule1,
                    List.of(family.elsewhere, inAllowed ? family.allowed : family.elsewhere),
                    List.of(onInternal ? family.internal : family.elsewhere),
                    inNever ? List.of(family.elsewhere, family.never) : List.of(family.elsewhere),
                    mode);
            MailAddress rcpt = recipient == Recipient.FOREIGN ? FOREIGN_USER : LOCAL_USER;
            return new RelayRequest(family.client, family.listener, authenticated ? "carol@local.test" : null, tls, rcpt,
                    recipient != Recipient.FOREIGN, recipient == Recipient.LOCAL_EXISTING, rules);
        }

        /** The specification, written as plainly as possible. */
        String expectedRule() {
            if (recipient != Recipient.FOREIGN) {
                return "local_destination";
            }
            if (inNever) {
                return "reject_never_relay";
            }
            if (mode == RelayMode.LOCAL_ONLY) {
                return "reject_local_only_mode";
            }
            if (authenticated && rule1) {
                return "permit_authenticated";
            }
            if (inAllowed) {
                return "permit_allowed_clients";
            }
            if (onInternal) {
                return "permit_internal_listeners";
            }
            return "reject_unauth_destination";
        }

        Verdict expectedVerdict() {
            return switch (expectedRule()) {
                case "local_destination" -> recipient == Recipient.LOCAL_EXISTING ? Verdict.ACCEPT_LOCAL : Verdict.REJECT_UNKNOWN_USER;
                case "permit_authenticated", "permit_allowed_clients", "permit_internal_listeners" -> Verdict.ACCEPT_RELAY;
                default -> Verdict.REJECT_RELAY;
            };
        }
    }

    static Stream<Case> everyCombination() {
        List<Case> all = new ArrayList<>();
        for (Family f : Family.values()) {
            for (int bits = 0; bits < 1 << 6; bits++) {
                for (RelayMode mode : RelayMode.values()) {
                    for (Recipient rcpt : Recipient.values()) {
                        all.add(new Case(f, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                                (bits & 16) != 0, (bits & 32) != 0, mode, rcpt));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("everyCombination")
    void decisionFollowsTheRuleOrder(Case c) {
        RelayDecision d = policy.decide(c.request());
        assertThat(d.rule()).isEqualTo(c.expectedRule());
        assertThat(d.verdict()).isEqualTo(c.expectedVerdict());
        assertThat(d.reason()).contains("[" + d.rule() + "]");
        switch (d.verdict()) {
            case ACCEPT_LOCAL, ACCEPT_RELAY -> assertThat(d.reply()).isEqualTo("250 2.1.5 Recipient OK");
            case REJECT_UNKNOWN_USER -> assertThat(d.reply()).isEqualTo("550 5.1.1 Recipient address rejected: user unknown");
            case REJECT_RELAY -> assertThat(d.reply()).isEqualTo("554 5.7.1 Relay access denied");
        }
        assertThat(d.accepted()).isEqualTo(d.code() == 250);
        if (c.recipient() == Recipient.FOREIGN) {
            // The log shows the client as the address it really is, IPv4 even when it arrived IPv4-mapped.
            assertThat(d.reason()).contains(c.family().shownClient).doesNotContain("::ffff:");
        }
    }

    @Test
    void reasonsNameTheRuleAndTheMatchingEntry() {
        RelayRules rules = new RelayRules(true, List.of(IpRange.parse("192.0.2.0/24")), List.of(IpRange.parse("10.0.0.1")),
                List.of(IpRange.parse("198.51.100.0/24")), RelayMode.RESTRICTED);
        assertThat(reason("192.0.2.7", "127.0.0.1", null, rules))
                .isEqualTo("relay: client 192.0.2.7 in allowed list 192.0.2.0/24 (rule 2) [permit_allowed_clients]");
        assertThat(reason("203.0.113.9", "127.0.0.1", null, rules))
                .isEqualTo("refused: no rule allows relay for unauthenticated client 203.0.113.9 to foreign domain example.com [reject_unauth_destination]");
        assertThat(reason("203.0.113.9", "10.0.0.1", null, rules))
                .isEqualTo("relay: client 203.0.113.9 connected to internal listener address 10.0.0.1 in 10.0.0.1 (rule 3) [permit_internal_listeners]");
        assertThat(reason("198.51.100.20", "10.0.0.1", "carol@local.test", rules))
                .isEqualTo("refused: client 198.51.100.20 is in never-relay list 198.51.100.0/24 (rule 4), foreign domain example.com [reject_never_relay]");
        assertThat(reason("203.0.113.9", "127.0.0.1", "carol@local.test", rules))
                .isEqualTo("relay: client 203.0.113.9 authenticated as carol@local.test over TLS (rule 1) [permit_authenticated]");
        RelayRules authOff = new RelayRules(false, List.of(), List.of(), List.of(), RelayMode.RESTRICTED);
        assertThat(reason("203.0.113.9", "127.0.0.1", "carol@local.test", authOff)).isEqualTo(
                "refused: no rule allows relay for client 203.0.113.9 authenticated as carol@local.test (relay for authenticated clients is off)"
                        + " to foreign domain example.com [reject_unauth_destination]");
    }

    @Test
    void neverRelayDoesNotBlockLocalDelivery() {
        RelayRules rules = new RelayRules(true, List.of(), List.of(), List.of(IpRange.parse("0.0.0.0/0"), IpRange.parse("::/0")),
                RelayMode.LOCAL_ONLY);
        RelayDecision d = policy.decide(new RelayRequest(address("198.51.100.1"), address("127.0.0.1"), null, false,
                LOCAL_USER, true, true, rules));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_LOCAL);
        assertThat(d.reason()).isEqualTo("local delivery: alice@local.test is an existing mailbox in local domain local.test [local_destination]");
    }

    @Test
    void freshInstallRelaysOnlyForAuthenticatedClients() {
        RelayRules rules = RelayRules.defaults();
        assertThat(policy.decide(new RelayRequest(address("127.0.0.1"), address("127.0.0.1"), null, false, FOREIGN_USER,
                false, false, rules)).verdict()).isEqualTo(Verdict.REJECT_RELAY);
        assertThat(policy.decide(new RelayRequest(address("127.0.0.1"), address("127.0.0.1"), "carol@local.test", true, FOREIGN_USER,
                false, false, rules)).verdict()).isEqualTo(Verdict.ACCEPT_RELAY);
    }

    @Test
    void ipv4MappedRangeWrittenInIpv6FormMatchesIpv4Clients() {
        IpRange mapped = IpRange.parse("::ffff:192.0.2.0/120");
        assertThat(mapped).isEqualTo(IpRange.parse("192.0.2.0/24"));
        RelayRules rules = new RelayRules(false, List.of(mapped), List.of(), List.of(), RelayMode.RESTRICTED);
        assertThat(policy.decide(new RelayRequest(address("192.0.2.200"), address("127.0.0.1"), null, false, FOREIGN_USER,
                false, false, rules)).verdict()).isEqualTo(Verdict.ACCEPT_RELAY);
    }

    @Test
    void restrictionNamesAreListedInOrder() {
        assertThat(RelayPolicy.restrictionNames()).containsExactly("local_destination", "reject_never_relay", "reject_local_only_mode",
                "permit_authenticated", "permit_allowed_clients", "permit_internal_listeners", "reject_unauth_destination");
    }

    private String reason(String client, String listener, String auth, RelayRules rules) {
        return policy.decide(new RelayRequest(address(client), address(listener), auth, true, FOREIGN_USER, false, false, rules)).reason();
    }

    /** Builds an address; an IPv4-mapped IPv6 text stays an {@link Inet6Address}, as a dual-stack socket can deliver it. */
    static InetAddress address(String text) {
        try {
            InetAddress a = InetAddress.getByName(text);
            if (text.startsWith("::ffff:")) {
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xff;
                v6[11] = (byte) 0xff;
                System.arraycopy(a.getAddress(), 0, v6, 12, 4);
                return Inet6Address.getByAddress(null, v6, -1);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
