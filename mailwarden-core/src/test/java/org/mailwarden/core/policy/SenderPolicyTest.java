package org.mailwarden.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.core.policy.RelayPolicyTest.address;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.core.address.MailAddress;

class SenderPolicyTest {

    static final MailAddress OWN = new MailAddress("Alice", "local.test");
    static final MailAddress ALIAS = new MailAddress("sales", "local.test");
    static final MailAddress OTHER_LOCAL = new MailAddress("bob", "local.test");
    static final MailAddress FOREIGN = new MailAddress("x", "example.com");
    static final Set<String> ALICE_MAY_USE = Set.of("alice@local.test", "sales@local.test");

    enum Sender { NULL, OWN, ALIAS, OTHER_LOCAL, FOREIGN }

    enum Trust { NONE, ALLOWED, INTERNAL_LISTENER, ALLOWED_BUT_NEVER }

    record Case(RelayPolicyTest.Family family, boolean authenticated, Sender sender, Trust trust, boolean switchOn) {

        SenderRequest request() {
            RelayPolicyTest.Family f = family;
            RelayRules rules = new RelayRules(true,
                    trust == Trust.ALLOWED || trust == Trust.ALLOWED_BUT_NEVER ? List.of(f.allowed) : List.of(f.elsewhere),
                    trust == Trust.INTERNAL_LISTENER ? List.of(f.internal) : List.of(),
                    trust == Trust.ALLOWED_BUT_NEVER ? List.of(f.never) : List.of(), RelayMode.RESTRICTED);
            MailAddress s = switch (sender) {
                case NULL -> null;
                case OWN -> OWN;
                case ALIAS -> ALIAS;
                case OTHER_LOCAL -> OTHER_LOCAL;
                case FOREIGN -> FOREIGN;
            };
            return new SenderRequest(f.client, f.listener, authenticated ? "alice@local.test" : null,
                    authenticated ? ALICE_MAY_USE : Set.of(), s, s != null && s.domain().equals("local.test"), rules);
        }

        String expectedRule() {
            if (authenticated) {
                return sender == Sender.OTHER_LOCAL || sender == Sender.FOREIGN ? "reject_sender_login_mismatch" : "permit_authenticated";
            }
            boolean local = sender == Sender.OWN || sender == Sender.ALIAS || sender == Sender.OTHER_LOCAL;
            boolean trusted = trust == Trust.ALLOWED || trust == Trust.INTERNAL_LISTENER;
            return switchOn && local && !trusted ? "reject_unauth_local_sender" : "permit";
        }
    }

    static Stream<Case> everyCombination() {
        List<Case> all = new ArrayList<>();
        for (RelayPolicyTest.Family f : RelayPolicyTest.Family.values()) {
            for (boolean auth : new boolean[] {false, true}) {
                for (Sender s : Sender.values()) {
                    for (Trust t : Trust.values()) {
                        for (boolean on : new boolean[] {false, true}) {
                            all.add(new Case(f, auth, s, t, on));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("everyCombination")
    void decisionFollowsTheRules(Case c) {
        SenderDecision d = new SenderPolicy(c.switchOn()).decide(c.request());
        assertThat(d.rule()).isEqualTo(c.expectedRule());
        assertThat(d.reason()).endsWith("[" + d.rule() + "]").doesNotContain("::ffff:");
        switch (d.rule()) {
            case "reject_sender_login_mismatch" -> assertThat(d.reply()).isEqualTo("553 5.7.1 Sender address rejected: not owned by the authenticated user");
            case "reject_unauth_local_sender" -> assertThat(d.reply())
                    .isEqualTo("550 5.7.1 Sender address rejected: to send as a local address, authenticate on the submission port");
            default -> assertThat(d.reply()).isEqualTo("250 2.1.0 Sender OK");
        }
        assertThat(d.accepted()).isEqualTo(d.code() == 250);
    }

    @Test
    void ownershipIsCaseInsensitiveOnTheLocalPart() {
        InetAddress client = address("203.0.113.9");
        SenderDecision d = new SenderPolicy(true).decide(new SenderRequest(client, address("127.0.0.1"), "alice@local.test",
                ALICE_MAY_USE, new MailAddress("ALICE", "local.test"), true, RelayRules.defaults()));
        assertThat(d.accepted()).isTrue();
        SenderDecision bad = new SenderPolicy(true).decide(new SenderRequest(client, address("127.0.0.1"), "alice@local.test",
                ALICE_MAY_USE, OTHER_LOCAL, true, RelayRules.defaults()));
        assertThat(bad.reason()).isEqualTo("refused: alice@local.test may not send as bob@local.test [reject_sender_login_mismatch]");
    }
}
