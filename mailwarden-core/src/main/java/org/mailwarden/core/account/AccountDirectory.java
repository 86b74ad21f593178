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

    /** Stored secrets of one account: the Argon2id hash and the SCRAM-SHA-256 keys derived at password-set time. */
    record Credentials(long accountId, String address, String passwordHash, String scramSha256, boolean enabled) {
    }
}
