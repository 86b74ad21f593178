package org.mailwarden.core.policy;

/** The site-wide relay mode: {@code restricted} applies the four rules; {@code local-only} never relays. */
public enum RelayMode {
    RESTRICTED("restricted"),
    LOCAL_ONLY("local-only");

    private final String word;

    RelayMode(String word) {
        this.word = word;
    }

    /** The word used in the CLI, the config export and the store. */
    public String word() {
        return word;
    }

    public static RelayMode parse(String s) {
        for (RelayMode m : values()) {
            if (m.word.equalsIgnoreCase(s == null ? "" : s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown relay mode '" + s + "'; expected restricted or local-only");
    }
}
