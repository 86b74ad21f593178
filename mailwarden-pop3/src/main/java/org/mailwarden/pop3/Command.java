package org.mailwarden.pop3;

import java.util.List;

/**
 * A syntactically valid POP3 command: its verb and arguments, not yet checked against the session's
 * state or the maildrop. For PASS, the single argument is the rest of the line.
 */
record Command(Verb verb, List<String> args) {

    Command {
        args = List.copyOf(args);
    }

    String arg(int index) {
        return args.get(index);
    }

    boolean hasArgs() {
        return !args.isEmpty();
    }
}
