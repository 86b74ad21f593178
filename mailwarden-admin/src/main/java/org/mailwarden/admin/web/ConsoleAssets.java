package org.mailwarden.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's files — one HTML page, its script and its style sheet — read from the jar once, at
 * start, and served by exact path. There is no file system lookup, so no path can reach anything else.
 */
final class ConsoleAssets {

    /** One file with its content type. */
    record Asset(String contentType, byte[] content) {
    }

    private static final String BASE = "/org/mailwarden/admin/web/console/";

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        assets = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/console.js", load("console.js", "text/javascript; charset=utf-8"),
                "/console.css", load("console.css", "text/css; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    }

    Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + name + " is missing from the jar");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + name, e);
        }
    }
}
