package org.mailwarden.core.account;

import java.util.List;
import java.util.Optional;

/**
 * What authentication needs to know about accounts, implemented by the store. Kept in core so that the
 * login-name rules and SASL mechanisms stay pure and testable without a database.
 */
public interface AccountDirectory {

    /** The account {@code localPart@domain}; the domain is a full, lower-case domain name. */
    Optional<Credentials> byAddress(String localPart, String domain);

    /** The full domain name whose short (NetBIOS-style) name is {@code shortName}, case-insensitively. */
    Optional<String> domainForShortName(String shortName);

    /** Every account, in any local domain, whose local part is {@code localPart} (case-insensitive). */
    List<Credentials> byLocalPart(String localPart);

    /** The local domain when there is exactly one, else empty. */
    Optional<String> onlyDomain();

    /**
     * A random secret of at least 32 bytes, created at first use and then the same for every server process
     * on this store and across restarts. SCRAM derives the salts it shows for unknown names from it, so
     * that they stay put the way a real account's salt does, on every protocol and every cluster node.
     */
    byte[] standInSecret();

    /** Stored secrets of one account: the Argon2id hash and the SCRAM-SHA-256 keys derived at password-set time. */
    record Credentials(long accountId, String address, String passwordHash, String scramSha256, boolean enabled) {
    }
}
