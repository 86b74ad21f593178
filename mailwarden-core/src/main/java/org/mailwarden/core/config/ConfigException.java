package org.mailwarden.core.config;

import java.util.List;

/**
 * The configuration file cannot be used. Each problem is one line that names the file, the line, the key,
 * what is wrong and how to fix it, e.g.
 * {@code mailwarden.toml:7: listen.smtp: "127.0.0.1:99999" is not a valid listen address: port must be
 * 1-65535 (write "host:port", e.g. "127.0.0.1:2525")}; the message is all problems, one per line, so an
 * administrator fixes the file in one pass.
 */
public final class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each, in file order. */
    public List<String> problems() {
        return problems;
    }
}
