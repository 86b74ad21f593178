package org.mailwarden.smtp.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Aliases;
import org.mailwarden.store.Store;

/**
 * Answers the two questions SMTP asks about local users: which accounts a local recipient address
 * delivers to (an account, or an alias expanded to its accounts; disabled accounts receive nothing, so
 * an address that reaches only disabled accounts is unknown), and which envelope senders an
 * authenticated account may use (its own address and the aliases granted to it). Reads the store
 * directly, so a user added a second ago is found.
 */
final class LocalDirectory {

    private final Store store;

    LocalDirectory(Store store) {
        this.store = store;
    }

    /** The enabled accounts {@code localPart@domain} delivers to; empty when it is no local recipient. */
    List<Long> resolve(String localPart, String domain) {
        Optional<Accounts.Account> account = store.accounts().find(localPart, domain);
        if (account.isPresent()) {
            return account.get().enabled() ? List.of(account.get().id()) : List.of();
        }
        Set<Long> enabled = new LinkedHashSet<>();
        for (Aliases.Alias a : store.aliases().resolve(localPart, domain)) {
            store.accounts().findById(a.accountId()).filter(Accounts.Account::enabled).ifPresent(acc -> enabled.add(acc.id()));
        }
        return List.copyOf(enabled);
    }

    /**
     * The bare {@code <Postmaster>} of RFC 5321 §4.1.1.3: the postmaster of the first local domain (in
     * name order) that has one.
     */
    List<Long> resolvePostmaster(Set<String> localDomains) {
        return inLocalDomains("postmaster", localDomains).stream().findFirst().orElse(List.of());
    }

    /**
     * A local part at an address literal naming this server: found only when exactly one local domain
     * has it, since a literal cannot say which domain was meant.
     */
    List<Long> resolveUnique(String localPart, Set<String> localDomains) {
        List<List<Long>> found = inLocalDomains(localPart, localDomains);
        return found.size() == 1 ? found.get(0) : List.of();
    }

    private List<List<Long>> inLocalDomains(String localPart, Set<String> localDomains) {
        List<List<Long>> found = new ArrayList<>();
        for (String domain : new TreeSet<>(localDomains)) {
            List<Long> accounts = resolve(localPart, domain);
            if (!accounts.isEmpty()) {
                found.add(accounts);
            }
        }
        return found;
    }

    /** The keys (lower-case addresses) an account may use as envelope sender: its own and its aliases. */
    Set<String> sendableAddresses(long accountId) {
        Set<String> out = new TreeSet<>();
        store.accounts().findById(accountId).ifPresent(a -> out.add(a.address().toLowerCase(Locale.ROOT)));
        for (Aliases.Alias alias : store.aliases().forAccount(accountId)) {
            out.add(alias.address().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
