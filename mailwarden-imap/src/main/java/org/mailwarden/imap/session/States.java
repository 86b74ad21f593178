package org.mailwarden.imap.session;

import java.util.EnumSet;
import java.util.Set;
import org.mailwarden.imap.session.ImapSession.State;

/** The sets of states commands are valid in. */
final class States {

    static final Set<State> ANY = EnumSet.of(State.NOT_AUTHENTICATED, State.AUTHENTICATED, State.SELECTED);
    static final Set<State> NOT_AUTHENTICATED = EnumSet.of(State.NOT_AUTHENTICATED);
    static final Set<State> AUTHENTICATED = EnumSet.of(State.AUTHENTICATED, State.SELECTED);
    static final Set<State> SELECTED = EnumSet.of(State.SELECTED);

    private States() {
    }
}
