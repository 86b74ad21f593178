package org.mailwarden.imap.session;

import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.imap.ImapSettings;
import org.mailwarden.imap.notify.ChangeMonitor;
import org.mailwarden.imap.search.ScanGate;
import org.mailwarden.store.Store;

/**
 * What every IMAP session of a server shares: the store, the host name, the TLS context for STARTTLS
 * (null when STARTTLS is not offered), authentication, the current settings, the change monitor that
 * wakes IDLE, the directory for spooling large APPENDs, and the gate that bounds the CPU content searches take.
 */
public record ImapContext(Store store, String hostname, Supplier<SSLContext> tls, LoginGuard authentication,
                          Supplier<ImapSettings> settings, ChangeMonitor monitor, Path spoolDir, ScanGate scans) {
}
