package org.mailwarden.core.policy;

import java.util.List;

/**
 * The administrator's relay rules, the four of the classic "Routing Restrictions" dialog plus the mode:
 * <ol>
 *   <li>{@code authenticatedMayRelay}: clients that authenticate may relay;</li>
 *   <li>{@code allowedClients}: client addresses and subnets that may relay;</li>
 *   <li>{@code internalListeners}: local (listener) addresses on which every client may relay;</li>
 *   <li>{@code neverRelay}: client addresses and subnets refused even when a rule above allows.</li>
 * </ol>
 * An immutable snapshot; the store produces a new one after every change.
 */
public record RelayRules(boolean authenticatedMayRelay, List<IpRange> allowedClients, List<IpRange> internalListeners,
                         List<IpRange> neverRelay, RelayMode mode) {

    public RelayRules {
        allowedClients = List.copyOf(allowedClients);
        internalListeners = List.copyOf(internalListeners);
        neverRelay = List.copyOf(neverRelay);
    }

    /** A fresh install: trusts no network, relays only for authenticated clients. */
    public static RelayRules defaults() {
        return new RelayRules(true, List.of(), List.of(), List.of(), RelayMode.RESTRICTED);
    }

    /** The three address-list rules, by the name the CLI and the store use for them. */
    public enum ListKind {
        ALLOW("allow"), LISTENER("listener"), DENY("deny");

        private final String word;

        ListKind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static ListKind parse(String s) {
            for (ListKind k : values()) {
                if (k.word.equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown relay rule list '" + s + "'");
        }
    }
}
