package org.mailwarden.pop3;

import org.mailwarden.core.account.LoginGuard;
import org.mailwarden.store.Store;

/**
 * What every POP3 session of a server shares: the host name it greets with, the store, the current
 * settings, authentication and the maildrop locks. Thread-safe.
 */
record Pop3Context(String hostname, Store store, SettingsSource settings, LoginGuard authentication,
                   MaildropLocks locks) {
}
