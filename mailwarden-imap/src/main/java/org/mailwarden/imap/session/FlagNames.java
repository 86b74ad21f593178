package org.mailwarden.imap.session;

import java.util.LinkedHashSet;
import java.util.Set;
import org.mailwarden.imap.parser.ImapParseException;

/** Checks flags from the client: system flags in their canonical case, no \Recent or unknown system flags. */
final class FlagNames {

    private FlagNames() {
    }

    static Set<String> canonical(Set<String> flags) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : flags) {
            if (f.startsWith("\\")) {
                String system = null;
                for (String known : SelectedMailbox.SYSTEM_FLAGS) {
                    if (known.equalsIgnoreCase(f)) {
                        system = known;
                    }
                }
                if (system == null) {
                    throw ImapParseException.bad(f.equalsIgnoreCase("\\Recent")
                            ? "\\Recent cannot be set by clients" : "unknown system flag " + f);
                }
                out.add(system);
            } else {
                out.add(f);
            }
        }
        return out;
    }
}
