package org.mailwarden.imap.session;

import org.mailwarden.imap.parser.ImapParseException;
import org.mailwarden.imap.parser.NumberSet;
import org.mailwarden.imap.parser.SequenceSet;

/**
 * Resolves a command's sequence set against the selected mailbox: {@code $} is the saved SEARCH result
 * (kept as UIDs), {@code *} the last message or the largest UID. Sequence numbers beyond the mailbox are
 * a client error (RFC 9051: BAD); UIDs that do not exist are simply left out.
 */
final class Sets {

    private Sets() {
    }

    static NumberSet uids(ImapSession s, SequenceSet set) {
        if (set.isSavedResult()) {
            return s.selected().uidsWithin(s.savedUids());
        }
        return s.selected().uids(set);
    }

    static NumberSet sequenceNumbers(ImapSession s, SequenceSet set) {
        SelectedMailbox view = s.selected();
        if (set.isSavedResult()) {
            return view.sequenceNumbersOfUids(s.savedUids());
        }
        if (set.maxExplicit() > view.size() || (set.hasStar() && view.size() == 0)) {
            throw ImapParseException.bad("Invalid message sequence number (the mailbox has " + view.size() + " messages)");
        }
        return view.sequenceNumbers(set);
    }
}
