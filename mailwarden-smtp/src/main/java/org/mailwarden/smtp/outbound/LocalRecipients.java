package org.mailwarden.smtp.outbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailwarden.core.address.MailAddress;
import org.mailwarden.core.address.PathException;
import org.mailwarden.core.address.PathParser;
import org.mailwarden.core.address.SmtpPath;
import org.mailwarden.store.Accounts;
import org.mailwarden.store.Aliases;
import org.mailwarden.store.Domains;
import org.mailwarden.store.Store;

/**
 * Where a notice for an address lands when the address is local: the enabled accounts an account or alias
 * address delivers to. Addresses come from the queue in SMTP form and are parsed with the strict path
 * parser, so a notice can never be steered into a local mailbox by an address that only looks local.
 */
final class LocalRecipients {

    /** An address in a local domain with the accounts it reaches (none when there is no such user). */
    record Local(MailAddress address, List<Long> accounts) {
    }

    private final Store store;

    LocalRecipients(Store store) {
        this.store = store;
    }

    /** The local mailbox owners of {@code smtpAddress}, or empty when its domain is not local (or it does not parse). */
    Optional<Local> resolve(String smtpAddress) {
        MailAddress address = parse(smtpAddress);
        if (address == null || store.domains().find(address.domain()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Local(address, accounts(address.localPart(), address.domain())));
    }

    /**
     * The postmaster: {@code setting} is a full address, or a local part looked up in every local domain in
     * name order, the first that has it winning. Empty when nobody local has it.
     */
    Optional<Local> postmaster(String setting) {
        if (setting.indexOf('@') >= 0) {
            return resolve(setting).filter(l -> !l.accounts().isEmpty());
        }
        List<Domains.Domain> domains = new ArrayList<>(store.domains().list());
        domains.sort(Comparator.comparing(Domains.Domain::name));
        for (Domains.Domain d : domains) {
            List<Long> found = accounts(setting, d.name());
            if (!found.isEmpty()) {
                return Optional.of(new Local(new MailAddress(setting, d.name()), found));
            }
        }
        return Optional.empty();
    }

    private List<Long> accounts(String localPart, String domain) {
        Optional<Accounts.Account> account = store.accounts().find(localPart, domain);
        if (account.isPresent()) {
            return account.get().enabled() ? List.of(account.get().id()) : List.of();
        }
        Set<Long> enabled = new LinkedHashSet<>();
        for (Aliases.Alias a : store.aliases().resolve(localPart, domain)) {
            store.accounts().findById(a.accountId()).filter(Accounts.Account::enabled).ifPresent(x -> enabled.add(x.id()));
        }
        return List.copyOf(enabled);
    }

    private static MailAddress parse(String smtpAddress) {
        boolean utf8 = !smtpAddress.chars().allMatch(c -> c < 0x80);
        try {
            SmtpPath path = new PathParser().parseMailFrom("<" + smtpAddress + ">" + (utf8 ? " SMTPUTF8" : ""))
                    .reversePath();
            return path instanceof SmtpPath.Mailbox m ? m.address() : null;
        } catch (PathException e) {
            return null;
        }
    }
}
