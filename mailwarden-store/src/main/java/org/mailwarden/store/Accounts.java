package org.mailwarden.store;

import java.util.List;
import java.util.Optional;
import org.mailwarden.core.account.AccountDirectory;

/**
 * Mail accounts. Each is {@code localPart@domain} in a local domain and owns an INBOX and the other
 * default mailboxes, created with it. Passwords arrive already hashed (Argon2id) together with the
 * SCRAM-SHA-256 keys; the store never sees a clear password. Implements {@link AccountDirectory} so
 * that authentication can look accounts up.
 */
public interface Accounts extends AccountDirectory {

    record Account(long id, long domainId, String localPart, String domain, String passwordHash, String scramSha256,
                   boolean enabled) {
        public String address() {
            return localPart + "@" + domain;
        }
    }

    /**
     * Creates an account and its default mailboxes (INBOX, Drafts, Sent, Trash, Junk, Archive with their
     * special-use attributes). NOT_FOUND when the domain is not local, DUPLICATE when the address exists as
     * an account or alias.
     */
    Account add(String localPart, String domain, String passwordHash, String scramSha256);

    void remove(String localPart, String domain);

    void setPassword(String localPart, String domain, String passwordHash, String scramSha256);

    void setEnabled(String localPart, String domain, boolean enabled);

    /** Case-insensitive on the local part; the domain is already normalised. */
    Optional<Account> find(String localPart, String domain);

    Optional<Account> findById(long id);

    /** All accounts, or those of one domain when {@code domain} is not null. */
    List<Account> list(String domain);
}
