package org.mailwarden.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.core.policy.RelayRules.ListKind;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Aliases.Alias;
import org.mailwarden.store.Domains.Domain;
import org.mailwarden.store.Queue.QueuedMessage;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import org.mailwarden.store.Routes.RouteOptions;
import org.mailwarden.store.Store;
import org.mailwarden.store.StoreException;

/**
 * Every administrative operation on the store, with the validation in front of it: the CLI, the REST API
 * and the web console all call this class and show its {@link AdminException} messages as they are. Input
 * arrives as the administrator typed it (addresses, CIDR ranges, {@code HOST:PORT}); this class parses and
 * normalises it, checks what the store would refuse, so that the refusal names the object and the fix,
 * and only then changes the store.
 */
public final class AdminService {

    private static final Pattern SHORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,14}");
    private static final Pattern SETTING_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final int MAX_SETTING_KEY = 100;
    private static final int MAX_SETTING_VALUE = 1000;

    private final Store store;
    private final PasswordHasher hasher;

    public AdminService(Store store, PasswordHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    // ---- domains

    public Domain addDomain(String name, String shortName) {
        String domain = Inputs.domain(name);
        String shortUpper = shortName == null ? null : shortName(shortName);
        if (store.domains().find(domain).isPresent()) {
            throw AdminException.conflict("domain " + domain + " already exists");
        }
        if (shortUpper != null) {
            requireShortNameFree(shortUpper, domain);
        }
        return call(() -> store.domains().add(domain, shortUpper));
    }

    /** Removes a domain and returns its normalised name. */
    public String removeDomain(String name) {
        String domain = existingDomain(name);
        boolean inUse = !store.accounts().list(domain).isEmpty()
                || store.aliases().list().stream().anyMatch(a -> a.domain().equals(domain));
        if (inUse) {
            throw AdminException.conflict("domain " + domain + " still has users or aliases; remove them first"
                    + " (see: mailwarden user list " + domain + " and mailwarden alias list)");
        }
        run(() -> store.domains().remove(domain));
        return domain;
    }

    public List<Domain> domains() {
        return store.domains().list().stream().sorted(Comparator.comparing(Domain::name)).toList();
    }

    /** Sets the short login name of a domain, or clears it when {@code shortName} is null. */
    public Domain setShortName(String name, String shortName) {
        String domain = existingDomain(name);
        String shortUpper = shortName == null ? null : shortName(shortName);
        if (shortUpper != null) {
            requireShortNameFree(shortUpper, domain);
        }
        run(() -> store.domains().setShortName(domain, shortUpper));
        return call(() -> store.domains().find(domain)).orElseThrow(() -> unknownDomain(domain));
    }

    // ---- users

    public Account addUser(String address, String password) {
        Inputs.Address a = localAddress(address);
        if (store.accounts().find(a.localPart(), a.domain()).isPresent()) {
            throw AdminException.conflict("user " + a + " already exists");
        }
        if (!store.aliases().resolve(a.localPart(), a.domain()).isEmpty()) {
            throw AdminException.conflict(a + " is an alias; remove it first with: mailwarden alias remove " + a);
        }
        StoredPassword stored = derive(password);
        return call(() -> store.accounts().add(a.localPart(), a.domain(), stored.passwordHash(), stored.scramSha256()));
    }

    /** Removes an account with its mailboxes and returns it as it was. */
    public Account removeUser(String address) {
        Account account = existingUser(address);
        run(() -> store.accounts().remove(account.localPart(), account.domain()));
        return account;
    }

    public Account setPassword(String address, String password) {
        Account account = existingUser(address);
        StoredPassword stored = derive(password);
        run(() -> store.accounts().setPassword(account.localPart(), account.domain(), stored.passwordHash(),
                stored.scramSha256()));
        return account;
    }

    public Account setEnabled(String address, boolean enabled) {
        Account account = existingUser(address);
        run(() -> store.accounts().setEnabled(account.localPart(), account.domain(), enabled));
        return account;
    }

    /** The accounts of every domain, or of one when {@code domain} is not null, sorted by address. */
    public List<Account> users(String domain) {
        String d = domain == null ? null : existingDomain(domain);
        return store.accounts().list(d).stream()
                .sorted(Comparator.comparing(Account::domain).thenComparing(Account::localPart)).toList();
    }

    // ---- aliases

    public Alias addAlias(String alias, String account) {
        Inputs.Address a = localAddress(alias);
        Account target = existingUser(account);
        if (store.accounts().find(a.localPart(), a.domain()).isPresent()) {
            throw AdminException.conflict(a + " is a user; an alias needs an address of its own");
        }
        if (store.aliases().resolve(a.localPart(), a.domain()).stream().anyMatch(x -> x.accountId() == target.id())) {
            throw AdminException.conflict("alias " + a + " already points to " + target.address());
        }
        return call(() -> store.aliases().add(a.localPart(), a.domain(), target.id()));
    }

    /**
     * Removes an alias entirely, or only its mapping to {@code account} when that is not null; returns the
     * mappings removed.
     */
    public List<Alias> removeAlias(String alias, String account) {
        Inputs.Address a = Inputs.address(alias);
        List<Alias> targets = store.aliases().resolve(a.localPart(), a.domain());
        if (targets.isEmpty()) {
            throw AdminException.notFound("alias " + a + " does not exist (see: mailwarden alias list)");
        }
        List<Alias> removed = targets;
        if (account != null) {
            Inputs.Address t = Inputs.address(account);
            removed = targets.stream().filter(x -> x.accountAddress().equalsIgnoreCase(t.toString())).toList();
            if (removed.isEmpty()) {
                throw AdminException.notFound("alias " + a + " does not point to " + t);
            }
        }
        Long id = account == null ? null : removed.get(0).accountId();
        run(() -> store.aliases().remove(a.localPart(), a.domain(), id));
        return removed;
    }

    public List<Alias> aliases() {
        return store.aliases().list().stream()
                .sorted(Comparator.comparing(Alias::domain).thenComparing(Alias::localPart)
                        .thenComparing(Alias::accountAddress))
                .toList();
    }

    // ---- relay rules

    public RelayRules relayRules() {
        return call(() -> store.relayRules().current());
    }

    /** Adds a client address or subnet (or, for {@link ListKind#LISTENER}, a local address) to a list. */
    public IpRange addRelayRange(ListKind list, String cidr) {
        IpRange range = Inputs.ipRange(cidr);
        if (members(relayRules(), list).contains(range)) {
            throw AdminException.conflict(range + " is already in the " + list.word() + " list");
        }
        run(() -> store.relayRules().add(list, range));
        return range;
    }

    /** Removes a range from the one list that holds it, and says which list that was. */
    public ListKind removeRelayRange(String cidr) {
        IpRange range = Inputs.ipRange(cidr);
        RelayRules rules = relayRules();
        List<ListKind> holding = new ArrayList<>();
        for (ListKind k : ListKind.values()) {
            if (members(rules, k).contains(range)) {
                holding.add(k);
            }
        }
        if (holding.isEmpty()) {
            throw AdminException.notFound(range + " is in none of the relay lists (see: mailwarden relay show)");
        }
        if (holding.size() > 1) {
            throw new AdminException(range + " is in the " + holding.get(0).word() + " and the "
                    + holding.get(1).word() + " list; say which with: mailwarden relay remove --list "
                    + holding.get(0).word() + " " + range);
        }
        run(() -> store.relayRules().remove(holding.get(0), range));
        return holding.get(0);
    }

    public IpRange removeRelayRange(ListKind list, String cidr) {
        IpRange range = Inputs.ipRange(cidr);
        if (!members(relayRules(), list).contains(range)) {
            throw AdminException.notFound(range + " is not in the " + list.word() + " list (see: mailwarden relay show)");
        }
        run(() -> store.relayRules().remove(list, range));
        return range;
    }

    public void setAuthenticatedMayRelay(boolean on) {
        run(() -> store.relayRules().setAuthenticatedMayRelay(on));
    }

    public RelayMode setRelayMode(String mode) {
        RelayMode m;
        try {
            m = RelayMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw AdminException.usage(e.getMessage());
        }
        run(() -> store.relayRules().setMode(m));
        return m;
    }

    private static List<IpRange> members(RelayRules rules, ListKind list) {
        return switch (list) {
            case ALLOW -> rules.allowedClients();
            case LISTENER -> rules.internalListeners();
            case DENY -> rules.neverRelay();
        };
    }

    // ---- routes

    /** Sets the smarthost from {@code HOST:PORT}, or clears it when the text is {@code none}. */
    public Optional<HostPort> setSmarthost(String hostPortOrNone) {
        return setSmarthost(hostPortOrNone, RouteOptions.NONE);
    }

    /** Sets the smarthost with its TLS requirement and AUTH credentials, or clears it with {@code none}. */
    public Optional<HostPort> setSmarthost(String hostPortOrNone, RouteOptions options) {
        HostPort target = "none".equalsIgnoreCase(hostPortOrNone.strip()) ? null : Inputs.hostPort(hostPortOrNone);
        if (target == null && !options.equals(RouteOptions.NONE)) {
            throw AdminException.usage("--require-verified-tls and --auth-user need a smarthost, not none");
        }
        RouteOptions checked = routeOptions(options);
        run(() -> store.routes().setSmarthost(target, checked));
        return Optional.ofNullable(target);
    }

    /** The smarthost's TLS requirement and credentials (default options when there is no smarthost). */
    public RouteOptions smarthostOptions() {
        return call(() -> store.routes().smarthostOptions()).orElse(RouteOptions.NONE);
    }

    public Optional<HostPort> smarthost() {
        return call(() -> store.routes().smarthost());
    }

    public Route addRoute(String domain, String hostPort) {
        return addRoute(domain, hostPort, RouteOptions.NONE);
    }

    /** Adds or replaces a route with its TLS requirement and AUTH credentials. */
    public Route addRoute(String domain, String hostPort, RouteOptions options) {
        String d = Inputs.domain(domain);
        HostPort target = Inputs.hostPort(hostPort);
        if (store.domains().find(d).isPresent()) {
            throw AdminException.conflict(d + " is a local domain; its mail is delivered here and cannot be routed elsewhere");
        }
        RouteOptions checked = routeOptions(options);
        run(() -> store.routes().put(d, target, checked));
        return new Route(d, target, checked);
    }

    private static RouteOptions routeOptions(RouteOptions o) {
        if (o.authUser() != null && (o.authUser().isEmpty() || o.authUser().length() > 255
                || o.authUser().chars().anyMatch(Character::isISOControl))) {
            throw new AdminException(Inputs.quote(o.authUser()) + " is not a usable AUTH user name; use one line of at most"
                    + " 255 characters");
        }
        return o;
    }

    public Route removeRoute(String domain) {
        String d = Inputs.domain(domain);
        Route route = store.routes().find(d)
                .orElseThrow(() -> AdminException.notFound("there is no route for " + d + " (see: mailwarden route list)"));
        run(() -> store.routes().remove(d));
        return route;
    }

    public List<Route> routes() {
        return store.routes().list().stream().sorted(Comparator.comparing(Route::domain)).toList();
    }

    // ---- settings

    public Optional<String> setting(String key) {
        return store.settings().get(settingKey(key));
    }

    /** Sets a runtime setting, or removes it (back to its default) when {@code value} is null; returns the key. */
    public String setSetting(String key, String value) {
        String k = checkedSetting(key, value);
        run(() -> store.settings().set(k, value));
        return k;
    }

    /**
     * Sets several settings, in order, after checking all of them: a malformed name or value sets none.
     * Returns the names as stored, in the order given.
     */
    public List<String> setSettings(List<Map.Entry<String, String>> settings) {
        List<String> keys = new ArrayList<>(settings.size());
        for (Map.Entry<String, String> e : settings) {
            keys.add(checkedSetting(e.getKey(), e.getValue()));
        }
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            String value = settings.get(i).getValue();
            run(() -> store.settings().set(k, value));
        }
        return keys;
    }

    private static String checkedSetting(String key, String value) {
        String k = settingKey(key);
        if (value != null && (value.length() > MAX_SETTING_VALUE || value.chars().anyMatch(Character::isISOControl))) {
            throw new AdminException("the value of " + k + " must be one line of at most " + MAX_SETTING_VALUE
                    + " characters");
        }
        return k;
    }

    public Map<String, String> settings() {
        return new TreeMap<>(store.settings().all());
    }

    private static String settingKey(String key) {
        String k = key.strip();
        if (k.length() > MAX_SETTING_KEY || !SETTING_KEY.matcher(k).matches()) {
            throw new AdminException(Inputs.quote(key) + " is not a setting name; names are lower-case words joined"
                    + " by dots, such as smtp.max_message_size");
        }
        return k;
    }

    // ---- outbound queue

    /** The queued messages, oldest first, each with all its recipients. */
    public List<QueuedMessage> queue() {
        return call(() -> store.queue().list()).stream().sorted(Comparator.comparing(QueuedMessage::created)
                .thenComparing(QueuedMessage::queueId)).toList();
    }

    public QueuedMessage queueEntry(String queueId) {
        String id = queueId(queueId);
        return call(() -> store.queue().find(id)).orElseThrow(() -> new AdminException("queue entry " + id
                + " does not exist; it may have been delivered meanwhile (see: mailwarden queue list)"));
    }

    /** The header section of a queued message, at most {@code maxBytes} octets cut at a line end. */
    public byte[] queuedHeaders(QueuedMessage message, int maxBytes) {
        return call(() -> {
            try (InputStream in = store.queue().openBody(message)) {
                byte[] head = in.readNBytes(maxBytes);
                String text = new String(head, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    return Arrays.copyOf(head, end + 2);
                }
                // No end of the header section within the limit: show whole lines only.
                return head.length < maxBytes ? head : Arrays.copyOf(head, text.lastIndexOf('\n') + 1);
            } catch (IOException e) {
                throw new AdminException("cannot read queue entry " + message.queueId() + ": " + e.getMessage());
            }
        });
    }

    /** Makes every recipient of a queued message that is still waiting due now; returns the entry. */
    public QueuedMessage retryQueued(String queueId) {
        QueuedMessage m = queueEntry(queueId);
        run(() -> store.queue().retryNow(m.queueId()));
        return m;
    }

    /** Makes every waiting recipient in the queue due now; returns how many there are. */
    public int retryAllQueued() {
        return call(() -> store.queue().retryAllNow());
    }

    /** Deletes a queued message without delivering it or sending any notice; returns it as it was. */
    public QueuedMessage deleteQueued(String queueId) {
        QueuedMessage m = queueEntry(queueId);
        run(() -> store.queue().delete(m.queueId()));
        return m;
    }

    private static String queueId(String text) {
        String id = text == null ? "" : text.strip();
        if (id.isEmpty() || id.length() > 100 || !id.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new AdminException(Inputs.quote(text) + " is not a queue id; queue ids are shown by: mailwarden queue list");
        }
        return id;
    }

    // ---- shared checks

    private String existingDomain(String name) {
        String domain = Inputs.domain(name);
        if (store.domains().find(domain).isEmpty()) {
            throw unknownDomain(domain);
        }
        return domain;
    }

    private Inputs.Address localAddress(String address) {
        Inputs.Address a = Inputs.address(address);
        if (store.domains().find(a.domain()).isEmpty()) {
            throw unknownDomain(a.domain());
        }
        return a;
    }

    private Account existingUser(String address) {
        Inputs.Address a = Inputs.address(address);
        return store.accounts().find(a.localPart(), a.domain())
                .orElseThrow(() -> AdminException.notFound("user " + a + " does not exist"));
    }

    private static AdminException unknownDomain(String domain) {
        return AdminException.notFound("domain " + domain + " does not exist; add it with: mailwarden domain add " + domain);
    }

    private static String shortName(String shortName) {
        String s = shortName.strip();
        if (!SHORT_NAME.matcher(s).matches()) {
            throw new AdminException(Inputs.quote(shortName) + " is not a valid short name; use 1 to 15 letters, digits,"
                    + " '-' or '_', such as EXAMPLE");
        }
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    private void requireShortNameFree(String shortName, String domain) {
        store.domains().findByShortName(shortName)
                .filter(other -> !other.name().equals(domain))
                .ifPresent(other -> {
                    throw AdminException.conflict("short name " + shortName + " is already used by domain " + other.name());
                });
    }

    /** The Argon2id hash and SCRAM-SHA-256 keys of a new password, after coreauth's checks of it. */
    private StoredPassword derive(String password) {
        try {
            return StoredPassword.derive(hasher, password);
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /**
     * Runs a store call, turning its refusals into messages for people. The checks above catch the usual
     * mistakes with better wording; this covers races with another administrator and server-side failures.
     */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (StoreException e) {
            throw switch (e.kind()) {
                case DUPLICATE -> new AdminException(AdminException.Kind.CONFLICT, e.getMessage(), e);
                case NOT_FOUND -> new AdminException(AdminException.Kind.NOT_FOUND, e.getMessage(), e);
                case INVALID -> new AdminException(AdminException.Kind.FAILED, e.getMessage(), e);
                case DISK_FULL -> new AdminException(AdminException.Kind.UNAVAILABLE, "the disk is full: " + e.getMessage(), e);
                case UNAVAILABLE -> new AdminException(AdminException.Kind.UNAVAILABLE, "the store is unavailable: " + e.getMessage(), e);
            };
        }
    }

    private static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
