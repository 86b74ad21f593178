package org.mailwarden.admin.rest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the endpoint for a method and a raw path: patterns such as {@code /api/v1/domains/{name}}, where
 * {@code {name}} takes one percent-decoded path segment and {@code {range...}} takes the rest of the path
 * (so {@code DELETE /api/v1/relay/allow/192.0.2.0/24} needs no {@code %2F}). Each route names the query
 * parameters it takes; others are refused, as is a body sent to a GET or DELETE.
 */
final class ApiRouter {

    /** A request that the router refuses before any endpoint runs. */
    static final class RouteException extends RuntimeException {
        private final ApiResponse response;

        RouteException(ApiResponse response) {
            super(String.valueOf(response.body()));
            this.response = response;
        }

        ApiResponse response() {
            return response;
        }
    }

    private record Route(String method, List<String> segments, Set<String> queryNames, ApiHandler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; {@code queryNames} are the query parameters it accepts. */
    void add(String method, String pattern, ApiHandler handler, String... queryNames) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        List<String> segments = List.of(pattern.substring(1).split("/", -1));
        routes.add(new Route(method, segments, Set.of(queryNames), handler));
    }

    ApiResponse dispatch(String method, String rawPath, String rawQuery, byte[] body) {
        List<String> path = decodePath(rawPath);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), path);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            if ((method.equals("GET") || method.equals("DELETE")) && body.length > 0) {
                throw refused(400, method + " takes no request body");
            }
            Map<String, String> query = decodeQuery(rawQuery, route.queryNames());
            return route.handler().handle(new ApiRequest(params, query, body));
        }
        if (allowed.isEmpty()) {
            throw refused(404, "no such API endpoint: " + printable(rawPath));
        }
        throw new RouteException(new ApiResponse(405, Map.of("error", method + " is not allowed here; use "
                + String.join(" or ", allowed)), Map.of("Allow", String.join(", ", allowed))));
    }

    private static Map<String, String> match(List<String> pattern, List<String> path) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("...}")) {
                if (i >= path.size()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 4), String.join("/", path.subList(i, path.size())));
                return params;
            }
            if (i >= path.size()) {
                return null;
            }
            String s = path.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (s.isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return pattern.size() == path.size() ? params : null;
    }

    private static List<String> decodePath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw refused(400, "the request path must start with /");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(percentDecode(raw, false));
        }
        return segments;
    }

    private static Map<String, String> decodeQuery(String rawQuery, Set<String> names) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            if (!names.contains(name)) {
                throw refused(400, "unknown query parameter " + Json.write(printable(name))
                        + (names.isEmpty() ? "; this request takes none" : "; this request takes " + String.join(", ", names)));
            }
            if (query.put(name, value) != null) {
                throw refused(400, "query parameter " + name + " appears twice");
            }
        }
        return query;
    }

    /** Strict percent-decoding to UTF-8; {@code +} means a space only in a query. */
    static String percentDecode(String s, boolean plusIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? hex(s.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
                if (lo < 0) {
                    throw refused(400, "bad percent-encoding in the request URL");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int cp = s.codePointAt(i);
                byte[] utf8 = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw refused(400, "the request URL is not valid UTF-8 after percent-decoding");
        }
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
    }

    private static RouteException refused(int status, String message) {
        return new RouteException(ApiResponse.error(status, message));
    }
}
