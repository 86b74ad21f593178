package org.mailwarden.admin;

/**
 * An administrative operation that was refused, with a one-line message for the person who asked: what
 * is wrong and, where there is one, the command that fixes it. The {@link Kind} says whose mistake it was,
 * so that each front end can answer in its own terms: the CLI exits 2 for {@link Kind#USAGE} (a command or
 * the config file written wrongly) and 1 for everything else; the REST API answers 404 for
 * {@link Kind#NOT_FOUND}, 409 for {@link Kind#CONFLICT}, 503 for {@link Kind#UNAVAILABLE} and 400 otherwise.
 */
public final class AdminException extends RuntimeException {

    public enum Kind {
        /** The request cannot be carried out as given: bad input or a refused value. */
        FAILED,
        /** A command or the config file is written wrongly. */
        USAGE,
        /** An object the request names (a domain, user, alias, route, list entry) does not exist. */
        NOT_FOUND,
        /** The request clashes with what exists: a duplicate, or an object still in use. */
        CONFLICT,
        /** The store cannot carry out any request right now (unreachable, disk full). */
        UNAVAILABLE
    }

    private final Kind kind;

    public AdminException(String message) {
        this(Kind.FAILED, message, null);
    }

    public AdminException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static AdminException usage(String message) {
        return new AdminException(Kind.USAGE, message, null);
    }

    public static AdminException notFound(String message) {
        return new AdminException(Kind.NOT_FOUND, message, null);
    }

    public static AdminException conflict(String message) {
        return new AdminException(Kind.CONFLICT, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
