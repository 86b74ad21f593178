package org.mailwarden.admin.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.admin.AdminException;
import org.mailwarden.admin.AdminService;
import org.mailwarden.admin.Inputs;
import org.mailwarden.admin.RelayPolicyText;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.core.policy.RelayRules.ListKind;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Aliases.Alias;
import org.mailwarden.store.Domains.Domain;
import org.mailwarden.store.Routes.HostPort;
import org.mailwarden.store.Routes.Route;
import org.mailwarden.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@value #PREFIX}: domains, users, aliases, relay rules, routes and settings,
 * each endpoint one {@link AdminService} call, so the API validates and words its refusals exactly as the
 * CLI does. Bodies are JSON objects read strictly ({@link JsonBody}); every answer is JSON, errors as
 * {@code {"error": "..."}} with 400 (bad input), 404 (no such object), 409 (duplicate or still in use) or
 * 503 (store unavailable). Authentication happens before this class is reached.
 *
 * <pre>
 * GET    /domains                       POST /domains {name, short_name?}
 * PATCH  /domains/{name} {short_name}   DELETE /domains/{name}
 * GET    /users[?domain=D]              POST /users {address, password}
 * PATCH  /users/{address} {enabled}     PUT /users/{address}/password {password}   DELETE /users/{address}
 * GET    /aliases                       POST /aliases {address, account}   DELETE /aliases/{address}[?account=A]
 * GET    /relay                         POST /relay/{allow|listener|deny} {range}   DELETE /relay/{list}/{range}
 * PUT    /relay/auth {enabled}          PUT /relay/mode {mode}
 * GET    /routes                        POST /routes {domain, target}   DELETE /routes/{domain}
 * GET    /smarthost                     PUT /smarthost {target}   DELETE /smarthost
 * GET    /settings                      GET /settings/{key}   PUT /settings/{key} {value}   DELETE /settings/{key}
 * </pre>
 */
public final class RestApi {

    public static final String PREFIX = "/api/v1";

    private static final Logger log = LoggerFactory.getLogger(RestApi.class);

    private final AdminService admin;
    private final ApiRouter router = new ApiRouter();

    public RestApi(AdminService admin) {
        this.admin = admin;
        domainRoutes();
        userRoutes();
        aliasRoutes();
        relayRoutes();
        routeRoutes();
        settingRoutes();
    }

    /**
     * Answers one request. Never throws for anything a client can send: refusals become their status and
     * message, and an unexpected failure becomes a 500 whose details go to the log only.
     *
     * @param rawPath the path as sent, still percent-encoded, starting with {@value #PREFIX}
     * @param rawQuery the query as sent, or null
     */
    public ApiResponse handle(String method, String rawPath, String rawQuery, byte[] body) {
        try {
            return router.dispatch(method, rawPath, rawQuery, body);
        } catch (ApiRouter.RouteException e) {
            return e.response();
        } catch (JsonException e) {
            return ApiResponse.error(400, e.getMessage());
        } catch (AdminException e) {
            return ApiResponse.error(status(e.kind()), e.getMessage());
        } catch (StoreException e) {
            return storeError(e);
        } catch (RuntimeException e) {
            log.error("admin API {} {} failed unexpectedly", method, rawPath, e);
            return ApiResponse.error(500, "internal error; the server log has the details");
        }
    }

    private static int status(AdminException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
            case FAILED, USAGE -> 400;
        };
    }

    // Reads go to the store without AdminService's wrapping, so their failures arrive here as they are.
    private static ApiResponse storeError(StoreException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ApiResponse.error(404, e.getMessage());
            case DUPLICATE -> ApiResponse.error(409, e.getMessage());
            case INVALID -> ApiResponse.error(400, e.getMessage());
            case DISK_FULL -> ApiResponse.error(503, "the disk is full: " + e.getMessage());
            case UNAVAILABLE -> ApiResponse.error(503, "the store is unavailable: " + e.getMessage());
        };
    }

    // ---- domains

    private void domainRoutes() {
        route("GET", "/domains", r -> ApiResponse.ok(object("domains", admin.domains().stream().map(RestApi::domain).toList())));
        route("POST", "/domains", r -> {
            JsonBody b = r.json("name", "short_name");
            return ApiResponse.created(domain(admin.addDomain(b.string("name"), b.optionalString("short_name"))));
        });
        route("PATCH", "/domains/{name}", r -> {
            JsonBody b = r.json("short_name");
            if (!b.has("short_name")) {
                throw new JsonException("field \"short_name\" is missing (null clears it)");
            }
            return ApiResponse.ok(domain(admin.setShortName(r.path("name"), b.optionalString("short_name"))));
        });
        route("DELETE", "/domains/{name}", r -> ApiResponse.ok(object("removed", admin.removeDomain(r.path("name")))));
    }

    private static Map<String, Object> domain(Domain d) {
        return object("name", d.name(), "short_name", d.shortName());
    }

    // ---- users

    private void userRoutes() {
        route("GET", "/users", r -> ApiResponse.ok(object("users",
                admin.users(r.query("domain")).stream().map(RestApi::user).toList())), "domain");
        route("POST", "/users", r -> {
            JsonBody b = r.json("address", "password");
            return ApiResponse.created(user(admin.addUser(b.string("address"), b.string("password"))));
        });
        route("PATCH", "/users/{address}", r -> {
            JsonBody b = r.json("enabled");
            boolean enabled = b.bool("enabled");
            return ApiResponse.ok(user(admin.setEnabled(r.path("address"), enabled), enabled));
        });
        route("PUT", "/users/{address}/password", r -> {
            JsonBody b = r.json("password");
            return ApiResponse.ok(user(admin.setPassword(r.path("address"), b.string("password"))));
        });
        route("DELETE", "/users/{address}", r -> ApiResponse.ok(object("removed", admin.removeUser(r.path("address")).address())));
    }

    private static Map<String, Object> user(Account a) {
        return user(a, a.enabled());
    }

    private static Map<String, Object> user(Account a, boolean enabled) {
        return object("address", a.address(), "domain", a.domain(), "enabled", enabled);
    }

    // ---- aliases

    private void aliasRoutes() {
        route("GET", "/aliases", r -> ApiResponse.ok(object("aliases", admin.aliases().stream().map(RestApi::alias).toList())));
        route("POST", "/aliases", r -> {
            JsonBody b = r.json("address", "account");
            return ApiResponse.created(alias(admin.addAlias(b.string("address"), b.string("account"))));
        });
        route("DELETE", "/aliases/{address}", r -> ApiResponse.ok(object("removed",
                admin.removeAlias(r.path("address"), r.query("account")).stream().map(RestApi::alias).toList())), "account");
    }

    private static Map<String, Object> alias(Alias a) {
        return object("address", a.address(), "account", a.accountAddress());
    }

    // ---- relay rules

    private void relayRoutes() {
        route("GET", "/relay", r -> ApiResponse.ok(relay(admin.relayRules())));
        route("POST", "/relay/{list}", r -> {
            ListKind list = list(r.path("list"));
            IpRange added = admin.addRelayRange(list, r.json("range").string("range"));
            return ApiResponse.created(object("list", list.word(), "range", added.toString()));
        });
        route("DELETE", "/relay/{list}/{range...}", r -> {
            ListKind list = list(r.path("list"));
            IpRange removed = admin.removeRelayRange(list, r.path("range"));
            return ApiResponse.ok(object("list", list.word(), "removed", removed.toString()));
        });
        route("PUT", "/relay/auth", r -> {
            admin.setAuthenticatedMayRelay(r.json("enabled").bool("enabled"));
            return ApiResponse.ok(relay(admin.relayRules()));
        });
        route("PUT", "/relay/mode", r -> {
            admin.setRelayMode(r.json("mode").string("mode"));
            return ApiResponse.ok(relay(admin.relayRules()));
        });
    }

    private static ListKind list(String word) {
        for (ListKind k : ListKind.values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        throw AdminException.notFound("there is no relay list " + Inputs.quote(word)
                + "; the lists are allow, listener and deny");
    }

    private static Map<String, Object> relay(RelayRules rules) {
        return object("mode", rules.mode().word(),
                "authenticated_may_relay", rules.authenticatedMayRelay(),
                "allow", texts(rules.allowedClients()),
                "listener", texts(rules.internalListeners()),
                "deny", texts(rules.neverRelay()),
                "policy", RelayPolicyText.lines(rules));
    }

    private static List<String> texts(List<IpRange> ranges) {
        return ranges.stream().map(IpRange::toString).toList();
    }

    // ---- routes and smarthost

    private void routeRoutes() {
        route("GET", "/routes", r -> ApiResponse.ok(object("routes", admin.routes().stream().map(RestApi::route).toList(),
                "smarthost", text(admin.smarthost()))));
        route("POST", "/routes", r -> {
            JsonBody b = r.json("domain", "target");
            return ApiResponse.created(route(admin.addRoute(b.string("domain"), b.string("target"))));
        });
        route("DELETE", "/routes/{domain}", r -> ApiResponse.ok(object("removed", route(admin.removeRoute(r.path("domain"))))));
        route("GET", "/smarthost", r -> ApiResponse.ok(smarthost(admin.smarthost())));
        route("PUT", "/smarthost", r -> {
            String target = r.json("target").string("target");
            if (target.strip().equalsIgnoreCase("none")) {
                throw new AdminException("to clear the smarthost, send DELETE " + PREFIX + "/smarthost");
            }
            return ApiResponse.ok(smarthost(admin.setSmarthost(target)));
        });
        route("DELETE", "/smarthost", r -> ApiResponse.ok(smarthost(admin.setSmarthost("none"))));
    }

    private static Map<String, Object> route(Route route) {
        return object("domain", route.domain(), "target", route.target().toString());
    }

    private static Map<String, Object> smarthost(Optional<HostPort> target) {
        return object("smarthost", text(target));
    }

    private static String text(Optional<HostPort> target) {
        return target.map(HostPort::toString).orElse(null);
    }

    // ---- settings

    private void settingRoutes() {
        route("GET", "/settings", r -> ApiResponse.ok(object("settings", admin.settings())));
        route("GET", "/settings/{key}", r -> {
            String key = r.path("key");
            String value = admin.setting(key).orElseThrow(() -> AdminException.notFound("setting " + key.strip()
                    + " is not set; its built-in default applies"));
            return ApiResponse.ok(object("key", key.strip(), "value", value));
        });
        route("PUT", "/settings/{key}", r -> {
            String value = r.json("value").string("value");
            String key = admin.setSetting(r.path("key"), value);
            return ApiResponse.ok(object("key", key, "value", value));
        });
        route("DELETE", "/settings/{key}", r -> ApiResponse.ok(object("removed", admin.setSetting(r.path("key"), null))));
    }

    /** A JSON object with its fields in the order given: name, value, name, value... */
    private static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    private void route(String method, String pattern, ApiHandler handler, String... queryNames) {
        router.add(method, PREFIX + pattern, handler, queryNames);
    }
}
