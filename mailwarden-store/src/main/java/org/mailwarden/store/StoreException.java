package org.mailwarden.store;

/**
 * A storage failure with a kind that callers map to a protocol reply or a CLI message: a duplicate or
 * missing object is the user's mistake, a full disk or unreachable database is the server's.
 */
public class StoreException extends RuntimeException {

    public enum Kind { DUPLICATE, NOT_FOUND, INVALID, DISK_FULL, UNAVAILABLE }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
