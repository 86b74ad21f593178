package org.mailwarden.admin.rest;

/** One API endpoint: turns a routed request into a response, or throws what {@link RestApi} maps to an error. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request);
}
