package org.mailwarden.smtp.outbound;

/**
 * The outcome of one attempt for one recipient. {@code text} is one line: the server's reply as it gave it
 * ({@code 550 5.1.1 no such user}) when {@code remoteMta} is set, otherwise this server's own diagnosis
 * starting with its enhanced status code ({@code 4.4.1 connect to ...: Connection refused}).
 */
public record DeliveryResult(Kind kind, String text, String remoteMta) {

    public enum Kind { DELIVERED, DEFERRED, FAILED }

    static DeliveryResult of(ServerReply reply, NextHop hop) {
        Kind kind = reply.positive() ? Kind.DELIVERED : reply.transientFailure() ? Kind.DEFERRED : Kind.FAILED;
        return new DeliveryResult(kind, reply.oneLine(), hop.mta());
    }

    static DeliveryResult deferred(String status, String text) {
        return new DeliveryResult(Kind.DEFERRED, status + " " + Text.printable(text, 450), null);
    }

    static DeliveryResult failed(String status, String text) {
        return new DeliveryResult(Kind.FAILED, status + " " + Text.printable(text, 450), null);
    }
}
