package org.mailwarden.core.policy;

/**
 * The outcome of {@link RelayPolicy#decide}: the verdict, the SMTP reply to send for the {@code RCPT TO}
 * ({@code code}, enhanced code and text), the name of the restriction that decided, and a reason for the
 * log that names the rule and the addresses involved. The reply text never carries the reason: a refused
 * client learns that relay is denied, not which networks are trusted.
 */
public record RelayDecision(Verdict verdict, int code, String enhancedCode, String text, String rule, String reason) {

    /** What happens to the recipient. */
    public enum Verdict {
        /** The recipient is an existing local mailbox. */
        ACCEPT_LOCAL,
        /** The recipient is foreign and a rule allows this client to relay. */
        ACCEPT_RELAY,
        /** The recipient's domain is local but no such mailbox exists: {@code 550 5.1.1} now, never a bounce later. */
        REJECT_UNKNOWN_USER,
        /** The recipient is foreign and no rule allows relay: {@code 554 5.7.1}. */
        REJECT_RELAY
    }

    /** Whether the recipient is accepted (locally or for relay). */
    public boolean accepted() {
        return verdict == Verdict.ACCEPT_LOCAL || verdict == Verdict.ACCEPT_RELAY;
    }

    /** The reply line without CRLF, e.g. {@code 554 5.7.1 Relay access denied}. */
    public String reply() {
        return code + " " + enhancedCode + " " + text;
    }
}
