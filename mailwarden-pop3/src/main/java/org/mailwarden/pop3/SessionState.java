package org.mailwarden.pop3;

import java.io.IOException;

/**
 * A state of the POP3 session (RFC 1939 §3): {@link AuthorizationState} until the client logs in and the
 * maildrop is locked, then {@link TransactionState}; the UPDATE state is the QUIT command of TRANSACTION.
 * Each state answers the commands valid in it.
 */
sealed interface SessionState permits AuthorizationState, TransactionState {

    /**
     * Answers one well-formed command.
     *
     * @return the state for the next command, or null when the session is over and the connection closes
     */
    SessionState handle(Command command) throws IOException;

    /**
     * Ends the session without an UPDATE (connection lost, idle timeout, shutdown): nothing is deleted
     * and whatever the state holds is released. Safe to call more than once.
     */
    void abandon();
}
