package org.mailwarden.imap.session;

import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.imap.ImapSettings;
import org.mailwarden.imap.notify.ChangeMonitor;
import org.mailwarden.store.Store;

/**
 * What every IMAP session of a server shares: the store, the host name, the TLS context for STARTTLS
 * (null when STARTTLS is not offered), authentication, the current settings, the change monitor that
 * wakes IDLE, and the directory for spooling large APPENDs.
 */
public record ImapContext(Store store, String hostname, Supplier<SSLContext> tls, LoginGuard authentication,
                          Supplier<ImapSettings> settings, ChangeMonitor monitor, Path spoolDir) {
}
