package org.mailwarden.core.address;

import java.util.Set;

/**
 * The decoded ESMTP parameters of one {@code RCPT TO} command. {@code notifyOn} is empty when NOTIFY was
 * not given (the default of RFC 3461 then applies) and contains only {@link Notify#NEVER} for
 * {@code NOTIFY=NEVER}. {@code orcpt} is null when absent.
 */
public record RcptParameters(Set<Notify> notifyOn, Orcpt orcpt) {

    public RcptParameters {
        notifyOn = Set.copyOf(notifyOn);
    }

    public static RcptParameters none() {
        return new RcptParameters(Set.of(), null);
    }

    /** The NOTIFY parameter values. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    /**
     * The original recipient: its address type (e.g. {@code rfc822}, {@code utf-8}, lower-cased) and the
     * decoded address. {@link Xtext#encode} gives back the form to write into a DSN.
     */
    public record Orcpt(String addressType, String address) {
    }
}
