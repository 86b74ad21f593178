package org.mailwarden.admin.rest;

import java.util.Map;

/**
 * One API call after routing: the decoded path parameters named in the route's pattern, the decoded query
 * parameters the route allows, and the raw body.
 */
public record ApiRequest(Map<String, String> pathParams, Map<String, String> query, byte[] body) {

    public ApiRequest {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
    }

    /** A path parameter of the route, such as {@code name} in {@code /domains/{name}}. */
    public String path(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no path parameter " + name);
        }
        return value;
    }

    /** A query parameter, or null when the request has none by that name. */
    public String query(String name) {
        return query.get(name);
    }

    /** The body as a JSON object with only the {@code allowed} fields. */
    public JsonBody json(String... allowed) {
        return JsonBody.parse(body, allowed);
    }
}
