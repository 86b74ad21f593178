package org.mailwarden.store;

import java.util.List;
import java.util.Optional;

/** The local domains: mail for these is delivered here, every other domain is foreign. */
public interface Domains {

    /** A local domain; {@code shortName} (such as EXAMPLE for {@code DOMAIN\\user} logins) may be null. */
    record Domain(long id, String name, String shortName) {
    }

    /** Adds a domain; the name must already be normalised (lower-case A-labels). DUPLICATE if present. */
    Domain add(String name, String shortName);

    /** Removes a domain that has no accounts or aliases left; NOT_FOUND or INVALID otherwise. */
    void remove(String name);

    /** Sets or clears (null) the short name; DUPLICATE if another domain has it. */
    void setShortName(String name, String shortName);

    Optional<Domain> find(String name);

    Optional<Domain> findByShortName(String shortName);

    List<Domain> list();
}
