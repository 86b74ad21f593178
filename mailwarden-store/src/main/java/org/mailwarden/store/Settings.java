package org.mailwarden.store;

import java.util.Map;
import java.util.Optional;

/**
 * Named runtime settings (limits, timeouts, switches such as {@code smtp.auth_on_mta}) that an
 * administrator changes while the server runs. Values are strings; typed access and defaults live with
 * the code that reads them.
 */
public interface Settings {

    Optional<String> get(String key);

    /** Sets a value, or removes it (back to the default) with null. */
    void set(String key, String value);

    Map<String, String> all();
}
