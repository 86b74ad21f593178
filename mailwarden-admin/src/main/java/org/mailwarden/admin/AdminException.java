package org.mailwarden.admin;

/**
 * An administrative operation that was refused, with a one-line message for the person who asked: what
 * is wrong and, where there is one, the command that fixes it. {@link Kind#USAGE} marks mistakes in how
 * a command or the config file was written (exit status 2 in the CLI), {@link Kind#FAILED} everything
 * else (exit status 1).
 */
public final class AdminException extends RuntimeException {

    public enum Kind { FAILED, USAGE }

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

    public Kind kind() {
        return kind;
    }
}
