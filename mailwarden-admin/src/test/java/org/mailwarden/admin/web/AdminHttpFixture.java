package org.mailwarden.admin.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mailwarden.admin.AdminService;
import org.mailwarden.admin.rest.Json;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.store.Store;

/**
 * A real admin listener on 127.0.0.1 with a free port over a real store, and a JDK {@link HttpClient} that
 * talks to it as an API client would: with the admin token as a Bearer header unless a test says otherwise.
 */
final class AdminHttpFixture implements AutoCloseable {

    /** Real Argon2id at its cheapest, so tests that add users stay fast. */
    static final PasswordHasher HASHER = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));

    /** One answer: status, headers and body text, with the body's JSON at hand. */
    record Response(int status, HttpHeaders headers, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        String error() {
            return (String) json().get("error");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    final Store store;
    final PrometheusMetrics metrics = new PrometheusMetrics();
    final AdminToken token;
    final AdminHttpServer server;
    final URI base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminHttpFixture(Store store, Path dataDir) {
        this.store = store;
        this.token = AdminToken.loadOrCreate(dataDir);
        this.server = AdminHttpServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), new AdminService(store, HASHER),
                token, metrics);
        this.base = URI.create("http://127.0.0.1:" + server.addresses().get(0).getPort());
    }

    /** A request with the admin token; {@code json} null sends no body. */
    Response call(String method, String path, String json) {
        HttpRequest.Builder b = request(method, path, json).header("Authorization", "Bearer " + token.value());
        return send(b);
    }

    Response get(String path) {
        return call("GET", path, null);
    }

    /** A request builder without credentials. */
    HttpRequest.Builder request(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (json == null) {
            return b.method(method, BodyPublishers.noBody());
        }
        return b.method(method, BodyPublishers.ofString(json)).header("Content-Type", "application/json");
    }

    Response send(HttpRequest.Builder request) {
        try {
            var r = client.send(request.build(), BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
        store.close();
    }
}
