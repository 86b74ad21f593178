package org.mailwarden.admin.rest;

import java.util.Map;

/**
 * What an API call answers: an HTTP status, a body to write as JSON, and any extra headers (such as
 * {@code Allow} on a 405).
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    /** An error with the one-line message people see: {@code {"error": "..."}}. */
    public static ApiResponse error(int status, String message) {
        return new ApiResponse(status, Map.of("error", message), Map.of());
    }
}
