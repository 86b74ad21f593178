package org.mailwarden.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.admin.web.AdminHttpFixture.Response;
import org.mailwarden.store.testing.TestStores;
import org.slf4j.LoggerFactory;

/**
 * What keeps the admin listener closed to everyone without the token, over real HTTP with the JDK client
 * and with curl: refusals without or with a wrong token, the console session and its CSRF header, the body
 * size limit, JSON-only bodies, security headers, the metrics access setting, and no secret in the log.
 */
class AdminSecurityTest {

    @TempDir
    Path dir;

    AdminHttpFixture http;
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        http = new AdminHttpFixture(TestStores.sqlite(dir), dir);
    }

    @AfterEach
    void stop() {
        http.close();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    Response anonymous(String method, String path, String json) {
        return http.send(http.request(method, path, json));
    }

    @Test
    void theApiRefusesRequestsWithoutTheRightToken() {
        Response none = anonymous("GET", "/api/v1/domains", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("authentication required: send Authorization: Bearer with the admin token"
                + " (see: mailwarden admin token)");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mailwarden\"");

        for (String authorization : List.of("Bearer wrong-token", "Bearer " + http.token.value() + "x",
                "Basic " + http.token.value(), "Bearer", http.token.value())) {
            Response wrong = http.send(http.request("POST", "/api/v1/domains", "{\"name\": \"evil.test\"}")
                    .header("Authorization", authorization));
            assertThat(wrong.status()).as(authorization).isEqualTo(401);
            assertThat(wrong.error()).isEqualTo("wrong admin token (see: mailwarden admin token)");
        }
        assertThat(http.store.domains().list()).isEmpty();
        assertThat(http.get("/api/v1/domains").status()).isEqualTo(200);
    }

    @Test
    void theConsoleSessionNeedsTheCsrfHeaderForChanges() {
        assertThat(anonymous("POST", "/api/v1/session", "{\"token\": \"guess\"}").status()).isEqualTo(401);
        assertThat(anonymous("GET", "/api/v1/session", null).status()).isEqualTo(401);

        Response login = anonymous("POST", "/api/v1/session", "{\"token\": \"" + http.token.value() + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie).startsWith("mw_session=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = (String) login.json().get("csrf_token");
        assertThat(csrf).hasSizeGreaterThanOrEqualTo(40);

        // Reading needs only the cookie; the page gets its CSRF token back after a reload.
        assertThat(withCookie("GET", "/api/v1/domains", null, cookie).status()).isEqualTo(200);
        assertThat(withCookie("GET", "/api/v1/session", null, cookie).json()).containsEntry("csrf_token", csrf);

        Response noCsrf = withCookie("POST", "/api/v1/domains", "{\"name\": \"csrf.test\"}", cookie);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.error()).isEqualTo("missing or wrong X-CSRF-Token header; reload the console");
        Response wrongCsrf = http.send(http.request("POST", "/api/v1/domains", "{\"name\": \"csrf.test\"}")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf.substring(1) + "A"));
        assertThat(wrongCsrf.status()).isEqualTo(403);
        assertThat(withCookie("DELETE", "/api/v1/session", null, cookie).status()).isEqualTo(403);
        assertThat(http.store.domains().list()).isEmpty();

        Response ok = http.send(http.request("POST", "/api/v1/domains", "{\"name\": \"csrf.test\"}")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf));
        assertThat(ok.status()).isEqualTo(201);

        Response logout = http.send(http.request("DELETE", "/api/v1/session", null).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(withCookie("GET", "/api/v1/domains", null, cookie).status()).isEqualTo(401);
        assertThat(withCookie("GET", "/api/v1/domains", null, "mw_session=forged").status()).isEqualTo(401);
    }

    private Response withCookie(String method, String path, String json, String cookie) {
        return http.send(http.request(method, path, json).header("Cookie", cookie));
    }

    @Test
    void bodiesAreLimitedInSizeAndMustBeJson() throws Exception {
        String big = "{\"name\": \"" + "a".repeat(AdminHttpHandler.MAX_BODY) + "\"}";
        Response tooLarge = http.call("POST", "/api/v1/domains", big);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.error()).isEqualTo("the request body is larger than 65536 bytes");

        // Chunked, so the server cannot know the size up front and must stop reading at the limit.
        Path bodyFile = dir.resolve("big.json");
        Files.writeString(bodyFile, big);
        Curl chunked = curl("-H", "@" + authHeaderFile(), "-H", "Content-Type: application/json", "-H", "Transfer-Encoding: chunked",
                "--data-binary", "@" + bodyFile, url("/api/v1/domains"));
        assertThat(chunked.status()).isEqualTo("413");

        Response text = http.send(http.request("POST", "/api/v1/domains", null)
                .header("Authorization", "Bearer " + http.token.value())
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("{\"name\": \"t.test\"}")));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.error()).isEqualTo("the request body must be JSON, sent with Content-Type: application/json");

        Response form = http.send(http.request("POST", "/api/v1/domains", null)
                .header("Authorization", "Bearer " + http.token.value())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("name=f.test")));
        assertThat(form.status()).isEqualTo(415);

        Response invalidUtf8 = http.send(http.request("POST", "/api/v1/domains", null)
                .header("Authorization", "Bearer " + http.token.value()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(new byte[] {'{', '"', 'n', (byte) 0xff, '"', ':', '1', '}'})));
        assertThat(invalidUtf8.status()).isEqualTo(400);
        assertThat(invalidUtf8.error()).isEqualTo("the body is not valid UTF-8");
        assertThat(http.store.domains().list()).isEmpty();
    }

    @Test
    void curlWithTheTokenFromAHeaderFile() throws Exception {
        Path header = authHeaderFile();
        Curl added = curl("-H", "@" + header, "-H", "Content-Type: application/json",
                "--data", "{\"name\": \"curl.test\", \"short_name\": \"CURL\"}", url("/api/v1/domains"));
        assertThat(added.status()).isEqualTo("201");
        assertThat(added.body()).isEqualTo("{\"name\":\"curl.test\",\"short_name\":\"CURL\"}\n");
        Curl listed = curl("-H", "@" + header, url("/api/v1/domains"));
        assertThat(listed.body()).isEqualTo("{\"domains\":[{\"name\":\"curl.test\",\"short_name\":\"CURL\"}]}\n");
        assertThat(curl(url("/api/v1/domains")).status()).isEqualTo("401");
        assertThat(curl("--path-as-is", "-H", "@" + header, url("/api/v1/users/%zz")).status()).isEqualTo("400");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (Response r : List.of(anonymous("GET", "/", null), anonymous("GET", "/console.js", null),
                anonymous("GET", "/api/v1/domains", null), http.get("/api/v1/domains"), anonymous("GET", "/nothing", null))) {
            assertThat(r.header("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self';")
                    .contains("frame-ancestors 'none'");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
        Response page = anonymous("GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>mailwarden admin</title>").doesNotContain("<script>", "style=");
        assertThat(anonymous("GET", "/console.css", null).header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(anonymous("GET", "/../pom.xml", null).status()).isEqualTo(404);
        assertThat(anonymous("POST", "/", "{}").status()).isEqualTo(405);
    }

    @Test
    void metricsAreOpenOnLoopbackUnlessTheSettingAsksForTheToken() {
        http.metrics.counter("mailwarden.test.events", "Events counted by a test", "kind", "demo").increment(3);
        http.get("/api/v1/domains");

        Response open = anonymous("GET", "/metrics", null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.header("Content-Type")).isEqualTo(PrometheusMetrics.CONTENT_TYPE);
        assertThat(open.body()).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds",
                "mailwarden_test_events_total{kind=\"demo\"} 3.0", "mailwarden_admin_http_responses_total{status=\"2xx\"}");

        assertThat(http.call("PUT", "/api/v1/settings/" + MetricsAccess.SETTING, "{\"value\": \"always\"}").status()).isEqualTo(200);
        assertThat(anonymous("GET", "/metrics", null).status()).isEqualTo(401);
        assertThat(http.get("/metrics").status()).isEqualTo(200);

        http.call("PUT", "/api/v1/settings/" + MetricsAccess.SETTING, "{\"value\": \"alwys\"}");
        assertThat(anonymous("GET", "/metrics", null).status()).as("a typo keeps the token required").isEqualTo(401);
        http.call("DELETE", "/api/v1/settings/" + MetricsAccess.SETTING, null);
        assertThat(anonymous("GET", "/metrics", null).status()).isEqualTo(200);
    }

    @Test
    void aStoreThatIsGoneAnswers503() {
        http.store.close();
        Response r = http.get("/api/v1/domains");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.error()).startsWith("the store is unavailable: ");
        assertThat(http.call("POST", "/api/v1/domains", "{\"name\": \"late.test\"}").status()).isEqualTo(503);
        // Metrics stay readable with the token while the store is down.
        assertThat(http.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void theLogNeverShowsTokensCookiesOrPasswords() {
        Response login = anonymous("POST", "/api/v1/session", "{\"token\": \"" + http.token.value() + "\"}");
        String session = login.header("Set-Cookie").split("[=;]")[1];
        String csrf = (String) login.json().get("csrf_token");
        http.call("POST", "/api/v1/domains", "{\"name\": \"log.test\"}");
        http.call("POST", "/api/v1/users", "{\"address\": \"ann@log.test\", \"password\": \"Pa55-in-the-log?\"}");
        anonymous("POST", "/api/v1/session", "{\"token\": \"wrong-" + http.token.value() + "\"}");
        http.send(http.request("GET", "/api/v1/domains", null).header("Authorization", "Bearer " + http.token.value() + "x"));

        List<String> lines = new ArrayList<>();
        logs.list.forEach(e -> lines.add(e.getFormattedMessage()));
        assertThat(lines).anyMatch(l -> l.contains("POST /api/v1/users -> 201 (token)"))
                .anyMatch(l -> l.contains("console login refused: wrong admin token"));
        assertThat(String.join("\n", lines)).doesNotContain(http.token.value(), session, csrf, "Pa55-in-the-log?");
    }

    // ---- curl

    record Curl(String status, String body) {
    }

    /** The way to keep the token off the command line: curl reads the header from a file. */
    private Path authHeaderFile() throws IOException {
        Path header = dir.resolve("auth.header");
        Files.writeString(header, "Authorization: Bearer " + http.token.value() + "\n");
        return header;
    }

    private String url(String path) {
        return http.base + path;
    }

    private Curl curl(String... args) throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/curl"))).as("curl is installed").isTrue();
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int cut = out.lastIndexOf('\n');
        return new Curl(out.substring(cut + 1), out.substring(0, cut));
    }
}
