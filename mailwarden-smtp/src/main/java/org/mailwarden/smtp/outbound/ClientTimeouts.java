package org.mailwarden.smtp.outbound;

import java.time.Duration;

/**
 * How long the SMTP client waits for each step, after RFC 5321 §4.5.3.2: the greeting, MAIL and RCPT 5
 * minutes each, DATA 2 minutes, each block of the body 3 minutes, the reply after the final dot 10
 * minutes. Connecting and the other commands (EHLO, STARTTLS, AUTH, RSET, QUIT) get their own bounds.
 */
public record ClientTimeouts(Duration connect, Duration greeting, Duration command, Duration mail, Duration rcpt,
                             Duration dataInit, Duration dataBlock, Duration dataEnd) {

    public static final ClientTimeouts RFC_5321 = new ClientTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
            Duration.ofMinutes(3), Duration.ofMinutes(10));

    /** The same bound for every step (tests, where a stalling server should be noticed quickly). */
    public static ClientTimeouts all(Duration d) {
        return new ClientTimeouts(d, d, d, d, d, d, d, d);
    }
}
