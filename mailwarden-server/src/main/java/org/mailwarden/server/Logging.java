package org.mailwarden.server;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log level policy: admin commands log warnings only (their output is the command's answer), while
 * {@code serve} logs every event at INFO. An explicit {@code -Dmailwarden.log.level} wins over both.
 */
final class Logging {

    static final String LEVEL_PROPERTY = "mailwarden.log.level";

    private Logging() {
    }

    /** Raises the root level to INFO for {@code serve}, unless the level was set explicitly. */
    static void showInfo() {
        if (System.getProperty(LEVEL_PROPERTY) == null
                && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.INFO);
        }
    }
}
