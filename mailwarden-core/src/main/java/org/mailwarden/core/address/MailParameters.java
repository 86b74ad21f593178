package org.mailwarden.core.address;

import java.util.OptionalLong;

/**
 * The decoded ESMTP parameters of one {@code MAIL FROM} command. Absent parameters are empty / null / false.
 * {@code size} saturates at {@link Long#MAX_VALUE} for absurdly long numbers, so the caller's size check
 * gives the right {@code 552} reply. {@code envid} and {@code auth} are xtext-decoded; {@code auth} is
 * {@code "<>"} or the submitter's mailbox, and the caller trusts it only from authenticated clients.
 */
public record MailParameters(OptionalLong size, Body body, boolean smtputf8, Ret ret, String envid, String auth) {

    /** No parameters at all. */
    public static MailParameters none() {
        return new MailParameters(OptionalLong.empty(), null, false, null, null, null);
    }

    /** The BODY parameter values. */
    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** The RET parameter values. */
    public enum Ret { FULL, HDRS }
}
