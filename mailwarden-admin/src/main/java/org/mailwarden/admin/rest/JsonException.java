package org.mailwarden.admin.rest;

/**
 * A request body that is not the JSON the endpoint expects: malformed, the wrong shape, an unknown or
 * missing field, or a field of the wrong type. The message says which and where; the API answers 400.
 */
public final class JsonException extends RuntimeException {

    public JsonException(String message) {
        super(message);
    }
}
