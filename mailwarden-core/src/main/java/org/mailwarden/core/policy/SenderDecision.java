package org.mailwarden.core.policy;

/**
 * The outcome of {@link SenderPolicy#decide}: accepted or not, the SMTP reply for {@code MAIL FROM}, the
 * restriction that decided and a reason for the log naming it.
 */
public record SenderDecision(boolean accepted, int code, String enhancedCode, String text, String rule, String reason) {

    /** The reply line without CRLF. */
    public String reply() {
        return code + " " + enhancedCode + " " + text;
    }
}
