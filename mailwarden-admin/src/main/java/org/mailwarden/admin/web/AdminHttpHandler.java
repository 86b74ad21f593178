package org.mailwarden.admin.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailwarden.admin.rest.ApiResponse;
import org.mailwarden.admin.rest.Json;
import org.mailwarden.admin.rest.JsonException;
import org.mailwarden.admin.rest.JsonBody;
import org.mailwarden.admin.rest.RestApi;
import org.mailwarden.admin.web.ConsoleSessions.Session;
import org.mailwarden.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request to the admin listener passes here, in this order: security headers on the answer; then by
 * path the console files ({@code /}), the metrics ({@code /metrics}), the console login
 * ({@code /api/v1/session}) or the REST API ({@code /api/v1/...}). The API needs either the admin token as
 * {@code Authorization: Bearer} or a console session cookie, and with the cookie every change must carry the
 * session's {@code X-CSRF-Token} header. Request bodies are capped at {@link #MAX_BODY} bytes and must be
 * {@code application/json}. One log line per request, never with a token, cookie or body in it.
 */
final class AdminHttpHandler implements HttpHandler {

    /** The largest request body accepted; the API's bodies are a few short fields. */
    static final int MAX_BODY = 64 * 1024;

    static final String SESSION_COOKIE = "mw_session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String SESSION_PATH = RestApi.PREFIX + "/session";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CSP,
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    /** A request refused with a status and a message; never carries secrets. */
    private static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final RestApi api;
    private final AdminToken token;
    private final ConsoleSessions sessions;
    private final ConsoleAssets assets;
    private final PrometheusMetrics metrics;
    private final Supplier<MetricsAccess> metricsAccess;
    private final Metrics.Counter[] responses = new Metrics.Counter[6];

    AdminHttpHandler(RestApi api, AdminToken token, ConsoleSessions sessions, ConsoleAssets assets,
                     PrometheusMetrics metrics, Supplier<MetricsAccess> metricsAccess) {
        this.api = api;
        this.token = token;
        this.sessions = sessions;
        this.assets = assets;
        this.metrics = metrics;
        this.metricsAccess = metricsAccess;
        for (int i = 1; i < responses.length; i++) {
            responses[i] = metrics.counter("mailwarden.admin.http.responses", "Responses of the admin listener",
                    "status", i + "xx");
        }
    }

    @Override
    public void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        int status;
        try {
            SECURITY_HEADERS.forEach(ex.getResponseHeaders()::set);
            if (path.equals(SESSION_PATH)) {
                status = session(ex, method);
            } else if (path.startsWith(RestApi.PREFIX + "/")) {
                authenticate(ex, method);
                byte[] body = readBody(ex);
                status = send(ex, api.handle(method, path, ex.getRequestURI().getRawQuery(), body));
            } else if (path.equals("/metrics")) {
                status = metrics(ex, method);
            } else {
                status = asset(ex, method, path);
            }
        } catch (Refused r) {
            status = sendQuietly(ex, ApiResponse.error(r.status, r.getMessage()));
        } catch (IOException e) {
            // The client went away or sent a broken request; nothing left to answer.
            status = 0;
            log.debug("admin http {}: {} {} i/o error: {}", client(ex), method, path, e.toString());
        } catch (RuntimeException e) {
            log.error("admin http {}: {} {} failed unexpectedly", client(ex), method, path, e);
            status = sendQuietly(ex, ApiResponse.error(500, "internal error; the server log has the details"));
        } finally {
            ex.close();
        }
        if (status >= 100 && status < 600) {
            responses[status / 100].increment();
        }
        logLine(ex, method, path, status, start);
    }

    // ---- console login

    private int session(HttpExchange ex, String method) throws IOException, Refused {
        switch (method) {
            case "POST" -> {
                JsonBody body = parse(readBody(ex), "token");
                if (!token.matches(body.string("token"))) {
                    log.warn("admin http {}: console login refused: wrong admin token", client(ex));
                    throw new Refused(401, "wrong admin token (see: mailwarden admin token)");
                }
                ConsoleSessions.Login login = sessions.open();
                ex.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + login.sessionId()
                        + "; Path=/; HttpOnly; SameSite=Strict");
                log.info("admin http {}: console login", client(ex));
                return send(ex, ApiResponse.ok(Map.of("csrf_token", login.session().csrfToken())));
            }
            case "GET" -> {
                Session s = cookieSession(ex).orElseThrow(() -> new Refused(401, "not logged in"));
                return send(ex, ApiResponse.ok(Map.of("csrf_token", s.csrfToken())));
            }
            case "DELETE" -> {
                Session s = cookieSession(ex).orElseThrow(() -> new Refused(401, "not logged in"));
                requireCsrf(ex, s);
                sessions.close(cookie(ex.getRequestHeaders(), SESSION_COOKIE));
                ex.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                return send(ex, ApiResponse.ok(Map.of("logged_out", true)));
            }
            default -> {
                ex.getResponseHeaders().set("Allow", "GET, POST, DELETE");
                throw new Refused(405, method + " is not allowed here; use GET, POST or DELETE");
            }
        }
    }

    private static JsonBody parse(byte[] body, String... fields) throws Refused {
        try {
            return JsonBody.parse(body, fields);
        } catch (JsonException e) {
            throw new Refused(400, e.getMessage());
        }
    }

    // ---- authentication

    private void authenticate(HttpExchange ex, String method) throws Refused {
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || !token.matches(authorization.substring(7).strip())) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mailwarden\", error=\"invalid_token\"");
                throw new Refused(401, "wrong admin token (see: mailwarden admin token)");
            }
            return;
        }
        Optional<Session> session = cookieSession(ex);
        if (session.isEmpty()) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mailwarden\"");
            throw new Refused(401, "authentication required: send Authorization: Bearer with the admin token"
                    + " (see: mailwarden admin token)");
        }
        if (!isSafe(method)) {
            requireCsrf(ex, session.get());
        }
    }

    private static void requireCsrf(HttpExchange ex, Session session) throws Refused {
        if (!ConsoleSessions.csrfMatches(session, ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            throw new Refused(403, "missing or wrong " + CSRF_HEADER + " header; reload the console");
        }
    }

    private Optional<Session> cookieSession(HttpExchange ex) {
        return sessions.find(cookie(ex.getRequestHeaders(), SESSION_COOKIE));
    }

    /** The value of a cookie, or null; looks at every Cookie header. */
    static String cookie(Headers headers, String name) {
        for (String header : headers.getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    // ---- metrics and console files

    private int metrics(HttpExchange ex, String method) throws IOException, Refused {
        if (!method.equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            throw new Refused(405, method + " is not allowed here; use GET");
        }
        if (metricsAccess.get().tokenRequired(ex.getRemoteAddress().getAddress())) {
            authenticate(ex, method);
        }
        return sendBytes(ex, 200, PrometheusMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private int asset(HttpExchange ex, String method, String path) throws IOException, Refused {
        Optional<ConsoleAssets.Asset> asset = assets.find(path);
        if (asset.isEmpty()) {
            throw new Refused(404, "not found: the console is at /, the API under " + RestApi.PREFIX + "/");
        }
        if (!method.equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            throw new Refused(405, method + " is not allowed here; use GET");
        }
        return sendBytes(ex, 200, asset.get().contentType(), asset.get().content());
    }

    // ---- bodies

    private static byte[] readBody(HttpExchange ex) throws IOException, Refused {
        Headers h = ex.getRequestHeaders();
        String length = h.getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new Refused(400, "bad Content-Length header");
            }
            if (declared > MAX_BODY) {
                throw new Refused(413, "the request body is larger than " + MAX_BODY + " bytes");
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new Refused(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        if (body.length > 0 && !isJson(h.getFirst("Content-Type"))) {
            throw new Refused(415, "the request body must be JSON, sent with Content-Type: application/json");
        }
        return body;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].strip().equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private static int send(HttpExchange ex, ApiResponse response) throws IOException {
        response.headers().forEach(ex.getResponseHeaders()::set);
        return sendBytes(ex, response.status(), "application/json; charset=utf-8",
                (Json.write(response.body()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static int sendQuietly(HttpExchange ex, ApiResponse response) {
        try {
            return send(ex, response);
        } catch (IOException | RuntimeException e) {
            // Headers may already be out, or the client gone; the log line records the status we meant.
            return response.status();
        }
    }

    private static int sendBytes(HttpExchange ex, int status, String contentType, byte[] content) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, content.length == 0 ? -1 : content.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(content);
        }
        return status;
    }

    // ---- logging

    private static void logLine(HttpExchange ex, String method, String path, int status, long start) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        shown = shown.replaceAll("[\\p{Cntrl}]", "?");
        // Console files and scrapes would drown the admin actions that the log is for.
        boolean routine = status == 200 && method.equals("GET") && !path.startsWith(RestApi.PREFIX + "/");
        if (routine) {
            log.debug("admin http {}: {} {} -> {} in {} ms", client(ex), method, shown, status, ms);
        } else {
            log.info("admin http {}: {} {} -> {} ({}) in {} ms", client(ex), method, shown, status, presented(ex), ms);
        }
    }

    /** Which credential the request carried, valid or not: "token", "cookie" or "none". */
    private static String presented(HttpExchange ex) {
        if (ex.getRequestHeaders().containsKey("Authorization")) {
            return "token";
        }
        return cookie(ex.getRequestHeaders(), SESSION_COOKIE) != null ? "cookie" : "none";
    }

    private static String client(HttpExchange ex) {
        InetAddress a = ex.getRemoteAddress().getAddress();
        return a == null ? ex.getRemoteAddress().toString() : a.getHostAddress();
    }
}
