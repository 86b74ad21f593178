package org.mailwarden.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.admin.RelayPolicyText;
import org.mailwarden.admin.web.AdminHttpFixture.Response;
import org.mailwarden.store.Accounts.Account;
import org.mailwarden.store.Store;

/**
 * Every REST endpoint over real HTTP on a real store: what it answers when it works, and the status and
 * one-line message (the CLI's wording) when it refuses. One listener and store serve the whole class, so
 * each test works on domains of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestApiContractTest {

    AdminHttpFixture http;

    abstract Store openStore(Path dir);

    @BeforeAll
    void start(@TempDir Path dir) {
        http = new AdminHttpFixture(openStore(dir), dir);
    }

    @AfterAll
    void stop() {
        http.close();
    }

    Response call(String method, String path, String json) {
        return http.call(method, "/api/v1" + path, json);
    }

    static void assertError(Response r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.error()).isEqualTo(message);
    }

    static void assertJson(Response r, int status, String json) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(json + "\n");
    }

    // ---- domains

    @Test
    void domainsAreAddedListedRenamedAndRemoved() {
        assertJson(call("POST", "/domains", "{\"name\": \"Dom1.TEST\", \"short_name\": \"d1\"}"), 201,
                "{\"name\":\"dom1.test\",\"short_name\":\"D1\"}");
        assertJson(call("POST", "/domains", "{\"name\": \"dom1b.test\"}"), 201, "{\"name\":\"dom1b.test\",\"short_name\":null}");
        assertThat(call("GET", "/domains", null).body()).contains("{\"name\":\"dom1.test\",\"short_name\":\"D1\"}",
                "{\"name\":\"dom1b.test\",\"short_name\":null}");

        assertJson(call("PATCH", "/domains/dom1b.test", "{\"short_name\": \"d1b\"}"), 200, "{\"name\":\"dom1b.test\",\"short_name\":\"D1B\"}");
        assertJson(call("PATCH", "/domains/dom1b.test", "{\"short_name\": null}"), 200, "{\"name\":\"dom1b.test\",\"short_name\":null}");

        assertJson(call("DELETE", "/domains/dom1b.test", null), 200, "{\"removed\":\"dom1b.test\"}");
        assertThat(call("GET", "/domains", null).body()).doesNotContain("dom1b.test");
    }

    @Test
    void domainRefusals() {
        call("POST", "/domains", "{\"name\": \"dom2.test\", \"short_name\": \"D2\"}");
        assertError(call("POST", "/domains", "{\"name\": \"DOM2.test\"}"), 409, "domain dom2.test already exists");
        assertError(call("POST", "/domains", "{\"name\": \"dom2b.test\", \"short_name\": \"d2\"}"), 409,
                "short name D2 is already used by domain dom2.test");
        assertError(call("POST", "/domains", "{\"name\": \"dom2c.test\", \"short_name\": \"no spaces\"}"), 400,
                "'no spaces' is not a valid short name; use 1 to 15 letters, digits, '-' or '_', such as EXAMPLE");
        assertThat(call("POST", "/domains", "{\"name\": \"bad..name\"}").status()).isEqualTo(400);
        assertError(call("POST", "/domains", "{}"), 400, "field \"name\" is missing");
        assertError(call("POST", "/domains", "{\"name\": 5}"), 400, "field \"name\" must be a string");
        assertError(call("POST", "/domains", "{\"name\": \"x.test\", \"shortname\": \"X\"}"), 400,
                "unknown field \"shortname\"; this request takes name, short_name");
        assertError(call("POST", "/domains", "[\"x.test\"]"), 400, "the body must be a JSON object with the fields name, short_name");
        assertError(call("POST", "/domains", "{\"name\": \"x.test\",}"), 400,
                "invalid JSON at character 19: unexpected '}', expected a field name in double quotes");

        assertError(call("PATCH", "/domains/nowhere.test", "{\"short_name\": \"NW\"}"), 404,
                "domain nowhere.test does not exist; add it with: mailwarden domain add nowhere.test");
        assertError(call("PATCH", "/domains/dom2.test", "{}"), 400, "field \"short_name\" is missing (null clears it)");
        assertError(call("DELETE", "/domains/nowhere.test", null), 404,
                "domain nowhere.test does not exist; add it with: mailwarden domain add nowhere.test");

        call("POST", "/users", "{\"address\": \"ann@dom2.test\", \"password\": \"pw\"}");
        assertError(call("DELETE", "/domains/dom2.test", null), 409, "domain dom2.test still has users or aliases; remove"
                + " them first (see: mailwarden user list dom2.test and mailwarden alias list)");
    }

    // ---- users

    @Test
    void usersAreAddedListedChangedAndRemoved() {
        call("POST", "/domains", "{\"name\": \"dom3.test\"}");
        call("POST", "/domains", "{\"name\": \"dom3b.test\"}");
        assertJson(call("POST", "/users", "{\"address\": \"Alice@Dom3.test\", \"password\": \"s3cret\"}"), 201,
                "{\"address\":\"Alice@dom3.test\",\"domain\":\"dom3.test\",\"enabled\":true}");
        call("POST", "/users", "{\"address\": \"bob@dom3b.test\", \"password\": \"pw\"}");
        Account alice = http.store.accounts().find("alice", "dom3.test").orElseThrow();
        assertThat(AdminHttpFixture.HASHER.verify("s3cret", alice.passwordHash())).isTrue();

        assertJson(call("GET", "/users?domain=dom3.test", null), 200,
                "{\"users\":[{\"address\":\"Alice@dom3.test\",\"domain\":\"dom3.test\",\"enabled\":true}]}");
        assertThat(call("GET", "/users", null).body()).contains("Alice@dom3.test", "bob@dom3b.test");

        assertJson(call("PATCH", "/users/alice@dom3.test", "{\"enabled\": false}"), 200,
                "{\"address\":\"Alice@dom3.test\",\"domain\":\"dom3.test\",\"enabled\":false}");
        assertThat(call("GET", "/users?domain=dom3.test", null).body()).contains("\"enabled\":false");
        assertThat(http.store.accounts().find("alice", "dom3.test").orElseThrow().enabled()).isFalse();
        call("PATCH", "/users/alice@dom3.test", "{\"enabled\": true}");
        assertThat(http.store.accounts().find("alice", "dom3.test").orElseThrow().enabled()).isTrue();

        assertThat(call("PUT", "/users/alice@dom3.test/password", "{\"password\": \"n3w\"}").status()).isEqualTo(200);
        assertThat(AdminHttpFixture.HASHER.verify("n3w", http.store.accounts().find("alice", "dom3.test").orElseThrow().passwordHash())).isTrue();

        assertJson(call("DELETE", "/users/alice@dom3.test", null), 200, "{\"removed\":\"Alice@dom3.test\"}");
        assertThat(http.store.accounts().find("alice", "dom3.test")).isEmpty();
    }

    @Test
    void userRefusals() {
        call("POST", "/domains", "{\"name\": \"dom4.test\"}");
        call("POST", "/users", "{\"address\": \"carol@dom4.test\", \"password\": \"pw\"}");
        assertError(call("POST", "/users", "{\"address\": \"CAROL@dom4.test\", \"password\": \"pw\"}"), 409,
                "user CAROL@dom4.test already exists");
        assertError(call("POST", "/users", "{\"address\": \"carol@nowhere.test\", \"password\": \"pw\"}"), 404,
                "domain nowhere.test does not exist; add it with: mailwarden domain add nowhere.test");
        assertError(call("POST", "/users", "{\"address\": \"not-an-address\", \"password\": \"pw\"}"), 400,
                "'not-an-address' is not an address; expected local-part@domain such as alice@example.test");
        assertError(call("POST", "/users", "{\"address\": \"dave@dom4.test\", \"password\": \"\"}"), 400, "the password is empty");
        assertError(call("POST", "/users", "{\"address\": \"dave@dom4.test\"}"), 400, "field \"password\" is missing");
        assertError(call("POST", "/users", "{\"address\": \"dave@dom4.test\", \"password\": [\"pw\"]}"), 400,
                "field \"password\" must be a string");

        assertError(call("GET", "/users?domain=nowhere.test", null), 404,
                "domain nowhere.test does not exist; add it with: mailwarden domain add nowhere.test");
        assertError(call("GET", "/users?dom=dom4.test", null), 400, "unknown query parameter \"dom\"; this request takes domain");
        assertError(call("PATCH", "/users/nobody@dom4.test", "{\"enabled\": false}"), 404, "user nobody@dom4.test does not exist");
        assertError(call("PATCH", "/users/carol@dom4.test", "{\"enabled\": \"no\"}"), 400, "field \"enabled\" must be true or false");
        assertError(call("PUT", "/users/nobody@dom4.test/password", "{\"password\": \"x\"}"), 404, "user nobody@dom4.test does not exist");
        assertError(call("DELETE", "/users/nobody@dom4.test", null), 404, "user nobody@dom4.test does not exist");
    }

    // ---- aliases

    @Test
    void aliasesAreAddedListedAndRemoved() {
        call("POST", "/domains", "{\"name\": \"dom5.test\"}");
        call("POST", "/users", "{\"address\": \"erin@dom5.test\", \"password\": \"pw\"}");
        call("POST", "/users", "{\"address\": \"finn@dom5.test\", \"password\": \"pw\"}");
        assertJson(call("POST", "/aliases", "{\"address\": \"sales@dom5.test\", \"account\": \"erin@dom5.test\"}"), 201,
                "{\"address\":\"sales@dom5.test\",\"account\":\"erin@dom5.test\"}");
        call("POST", "/aliases", "{\"address\": \"sales@dom5.test\", \"account\": \"finn@dom5.test\"}");
        assertThat(call("GET", "/aliases", null).body()).contains(
                "{\"address\":\"sales@dom5.test\",\"account\":\"erin@dom5.test\"},{\"address\":\"sales@dom5.test\",\"account\":\"finn@dom5.test\"}");

        assertError(call("POST", "/aliases", "{\"address\": \"sales@dom5.test\", \"account\": \"erin@dom5.test\"}"), 409,
                "alias sales@dom5.test already points to erin@dom5.test");
        assertError(call("POST", "/aliases", "{\"address\": \"finn@dom5.test\", \"account\": \"erin@dom5.test\"}"), 409,
                "finn@dom5.test is a user; an alias needs an address of its own");
        assertError(call("POST", "/aliases", "{\"address\": \"info@dom5.test\", \"account\": \"ghost@dom5.test\"}"), 404,
                "user ghost@dom5.test does not exist");

        assertError(call("DELETE", "/aliases/sales@dom5.test?account=ghost@dom5.test", null), 404,
                "alias sales@dom5.test does not point to ghost@dom5.test");
        assertJson(call("DELETE", "/aliases/sales@dom5.test?account=finn@dom5.test", null), 200,
                "{\"removed\":[{\"address\":\"sales@dom5.test\",\"account\":\"finn@dom5.test\"}]}");
        assertJson(call("DELETE", "/aliases/sales@dom5.test", null), 200,
                "{\"removed\":[{\"address\":\"sales@dom5.test\",\"account\":\"erin@dom5.test\"}]}");
        assertError(call("DELETE", "/aliases/sales@dom5.test", null), 404,
                "alias sales@dom5.test does not exist (see: mailwarden alias list)");
    }

    // ---- relay rules

    @Test
    void relayRulesReadLikeThePolicyAndChange() {
        Response initial = call("GET", "/relay", null);
        assertThat(initial.status()).isEqualTo(200);
        assertThat(initial.json()).containsEntry("mode", "restricted").containsEntry("authenticated_may_relay", true)
                .containsEntry("allow", List.of()).containsEntry("listener", List.of()).containsEntry("deny", List.of());

        assertJson(call("POST", "/relay/allow", "{\"range\": \"192.0.2.0/24\"}"), 201, "{\"list\":\"allow\",\"range\":\"192.0.2.0/24\"}");
        call("POST", "/relay/listener", "{\"range\": \"192.0.2.1\"}");
        call("POST", "/relay/deny", "{\"range\": \"2001:DB8::/32\"}");
        assertError(call("POST", "/relay/allow", "{\"range\": \"192.0.2.0/24\"}"), 409, "192.0.2.0/24 is already in the allow list");
        assertThat(call("POST", "/relay/allow", "{\"range\": \"192.0.2.300\"}").status()).isEqualTo(400);
        assertError(call("POST", "/relay/everyone", "{\"range\": \"0.0.0.0/0\"}"), 404,
                "there is no relay list 'everyone'; the lists are allow, listener and deny");

        Response rules = call("GET", "/relay", null);
        assertThat(rules.json()).containsEntry("allow", List.of("192.0.2.0/24")).containsEntry("listener", List.of("192.0.2.1"))
                .containsEntry("deny", List.of("2001:db8::/32"))
                .containsEntry("policy", RelayPolicyText.lines(http.store.relayRules().current()));
        assertThat(rules.json().get("policy").toString()).contains("match from 192.0.2.0/24", "rule 2: allowed client");

        assertJson(call("DELETE", "/relay/allow/192.0.2.0/24", null), 200, "{\"list\":\"allow\",\"removed\":\"192.0.2.0/24\"}");
        assertError(call("DELETE", "/relay/allow/192.0.2.0/24", null), 404,
                "192.0.2.0/24 is not in the allow list (see: mailwarden relay show)");
        assertThat(call("DELETE", "/relay/deny/2001:db8::%2F32", null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/relay/listener/192.0.2.1", null).status()).isEqualTo(200);

        Response off = call("PUT", "/relay/auth", "{\"enabled\": false}");
        assertThat(off.json()).containsEntry("authenticated_may_relay", false);
        assertThat(http.store.relayRules().current().authenticatedMayRelay()).isFalse();
        assertError(call("PUT", "/relay/auth", "{\"enabled\": 1}"), 400, "field \"enabled\" must be true or false");
        call("PUT", "/relay/auth", "{\"enabled\": true}");

        assertThat(call("PUT", "/relay/mode", "{\"mode\": \"local-only\"}").json()).containsEntry("mode", "local-only");
        assertError(call("PUT", "/relay/mode", "{\"mode\": \"open\"}"), 400, "unknown relay mode 'open'; expected restricted or local-only");
        assertThat(call("PUT", "/relay/mode", "{\"mode\": \"restricted\"}").json()).containsEntry("mode", "restricted");
    }

    // ---- routes and smarthost

    @Test
    void routesAndSmarthost() {
        call("POST", "/domains", "{\"name\": \"dom6.test\"}");
        assertJson(call("POST", "/routes", "{\"domain\": \"Partner.test\", \"target\": \"127.0.0.1:2626\"}"), 201,
                "{\"domain\":\"partner.test\",\"target\":\"127.0.0.1:2626\"}");
        assertError(call("POST", "/routes", "{\"domain\": \"dom6.test\", \"target\": \"127.0.0.1:25\"}"), 409,
                "dom6.test is a local domain; its mail is delivered here and cannot be routed elsewhere");
        assertError(call("POST", "/routes", "{\"domain\": \"other.test\", \"target\": \"mx.other.test\"}"), 400,
                "'mx.other.test' is not HOST:PORT, such as smtp.example.net:25 or [2001:db8::1]:25");
        assertThat(call("GET", "/routes", null).body()).contains("{\"domain\":\"partner.test\",\"target\":\"127.0.0.1:2626\"}");

        assertJson(call("DELETE", "/routes/partner.test", null), 200,
                "{\"removed\":{\"domain\":\"partner.test\",\"target\":\"127.0.0.1:2626\"}}");
        assertError(call("DELETE", "/routes/partner.test", null), 404, "there is no route for partner.test (see: mailwarden route list)");

        assertJson(call("PUT", "/smarthost", "{\"target\": \"[2001:DB8::5]:587\"}"), 200, "{\"smarthost\":\"[2001:db8::5]:587\"}");
        assertJson(call("GET", "/smarthost", null), 200, "{\"smarthost\":\"[2001:db8::5]:587\"}");
        assertThat(call("GET", "/routes", null).json()).containsEntry("smarthost", "[2001:db8::5]:587");
        assertError(call("PUT", "/smarthost", "{\"target\": \"none\"}"), 400, "to clear the smarthost, send DELETE /api/v1/smarthost");
        assertJson(call("DELETE", "/smarthost", null), 200, "{\"smarthost\":null}");
        assertThat(http.store.routes().smarthost()).isEmpty();
    }

    // ---- settings

    @Test
    void settingsAreSetReadAndUnset() {
        assertJson(call("PUT", "/settings/smtp.max_message_size", "{\"value\": \"1000000\"}"), 200,
                "{\"key\":\"smtp.max_message_size\",\"value\":\"1000000\"}");
        assertThat(call("GET", "/settings", null).json().get("settings")).isInstanceOf(Map.class)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("smtp.max_message_size", "1000000");
        assertJson(call("GET", "/settings/smtp.max_message_size", null), 200, "{\"key\":\"smtp.max_message_size\",\"value\":\"1000000\"}");
        assertJson(call("DELETE", "/settings/smtp.max_message_size", null), 200, "{\"removed\":\"smtp.max_message_size\"}");
        assertError(call("GET", "/settings/smtp.max_message_size", null), 404,
                "setting smtp.max_message_size is not set; its built-in default applies");
        assertError(call("PUT", "/settings/Bad%20Key", "{\"value\": \"1\"}"), 400,
                "'Bad Key' is not a setting name; names are lower-case words joined by dots, such as smtp.max_message_size");
        assertError(call("PUT", "/settings/smtp.banner", "{\"value\": \"two\\nlines\"}"), 400,
                "the value of smtp.banner must be one line of at most 1000 characters");
    }

    // ---- routing

    @Test
    void unknownEndpointsMethodsAndBodies() {
        assertError(call("GET", "/nothing", null), 404, "no such API endpoint: /api/v1/nothing");
        Response wrongMethod = call("PUT", "/domains", "{}");
        assertError(wrongMethod, 405, "PUT is not allowed here; use GET or POST");
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET, POST");
        assertError(call("GET", "/domains", "{}"), 400, "GET takes no request body");
        assertError(call("GET", "/domains?x=1", null), 400, "unknown query parameter \"x\"; this request takes none");
        assertError(call("GET", "/users/%C3", null), 400, "the request URL is not valid UTF-8 after percent-decoding");
    }
}
