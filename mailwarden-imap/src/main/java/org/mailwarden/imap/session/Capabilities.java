package org.mailwarden.imap.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The CAPABILITY list for a session's current state: before login it tells how to log in (STARTTLS,
 * LOGINDISABLED while passwords may not travel in clear, the SASL mechanisms usable now, SASL-IR); every
 * state lists the extensions this server implements and tests end to end.
 */
final class Capabilities {

    static final List<String> EXTENSIONS = List.of("LITERAL+", "ENABLE", "ID", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE",
            "UNSELECT", "CHILDREN", "SPECIAL-USE", "CREATE-SPECIAL-USE", "LIST-EXTENDED", "LIST-STATUS", "ESEARCH",
            "SEARCHRES", "CONDSTORE", "QRESYNC", "STATUS=SIZE", "UTF8=ACCEPT", "BINARY");

    private Capabilities() {
    }

    static String of(ImapSession s) {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1", "IMAP4rev2"));
        if (s.state() == ImapSession.State.NOT_AUTHENTICATED) {
            if (s.tlsAvailable()) {
                caps.add("STARTTLS");
            }
            boolean plaintext = s.plaintextAllowed();
            if (!plaintext) {
                caps.add("LOGINDISABLED");
            }
            for (String mechanism : s.context().authentication().mechanismNames(plaintext)) {
                caps.add("AUTH=" + mechanism);
            }
            caps.add("SASL-IR");
        }
        caps.addAll(EXTENSIONS);
        caps.add("APPENDLIMIT=" + s.settings().appendLimit());
        return String.join(" ", caps);
    }
}
