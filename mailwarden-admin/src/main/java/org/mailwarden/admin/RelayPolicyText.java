package org.mailwarden.admin;

import java.util.ArrayList;
import java.util.List;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;

/**
 * The relay rules written out as the policy they make, one {@code match ... for ... action ...} line per
 * decision in the order they are applied, in the spirit of OpenSMTPD's
 * {@code match from any for domain example.org action local}. Shared by {@code relay show} and the web
 * console so both read the same.
 */
public final class RelayPolicyText {

    private RelayPolicyText() {
    }

    public static List<String> lines(RelayRules rules) {
        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        rows.add(row("match from any", "for local domains", "action deliver", "existing users and aliases only"));
        if (rules.mode() == RelayMode.LOCAL_ONLY) {
            rows.add(row("match from any", "for any", "action reject", "local-only mode: nothing is relayed"));
            notes.add("# kept for restricted mode: " + summary(rules));
        } else {
            for (IpRange r : rules.neverRelay()) {
                rows.add(row("match from " + r, "for any", "action reject", "rule 4: never relay"));
            }
            if (rules.authenticatedMayRelay()) {
                rows.add(row("match auth", "for any", "action relay", "rule 1: clients that log in"));
            } else {
                notes.add("# rule 1 is off: logging in does not let a client relay");
            }
            for (IpRange r : rules.allowedClients()) {
                rows.add(row("match from " + r, "for any", "action relay", "rule 2: allowed client"));
            }
            for (IpRange r : rules.internalListeners()) {
                rows.add(row("match on listener " + r, "for any", "action relay", "rule 3: internal listener"));
            }
            rows.add(row("match from any", "for any", "action reject", "554 5.7.1 Relay access denied"));
        }
        List<String> out = new ArrayList<>();
        out.add("relay mode: " + rules.mode().word());
        out.addAll(table(rows));
        out.addAll(notes);
        return out;
    }

    private static String summary(RelayRules rules) {
        StringBuilder b = new StringBuilder("auth ").append(rules.authenticatedMayRelay() ? "on" : "off");
        append(b, "allow", rules.allowedClients());
        append(b, "listener", rules.internalListeners());
        append(b, "deny", rules.neverRelay());
        return b.toString();
    }

    private static void append(StringBuilder b, String word, List<IpRange> ranges) {
        for (IpRange r : ranges) {
            b.append(", ").append(word).append(' ').append(r);
        }
    }

    private static String[] row(String match, String target, String action, String why) {
        return new String[] {match, target, action, "# " + why};
    }

    private static List<String> table(List<String[]> rows) {
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.add(b.append(r[3]).toString());
        }
        return out;
    }
}
