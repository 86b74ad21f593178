package org.mailwarden.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Everything that differs between the two databases once the SQL itself is shared: how a write
 * transaction starts, how errors are recognised, the database clock, and where the migrations live.
 * SQLite write transactions start with {@code BEGIN IMMEDIATE} so that a second writer (another thread
 * or the CLI process) waits in the busy handler up front instead of failing half-way with SQLITE_BUSY.
 */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The classpath folder of this backend's migration scripts. */
    String migrations() {
        return "db/" + folder;
    }

    void begin(Connection c) throws SQLException {
        if (this == SQLITE) {
            exec(c, "BEGIN IMMEDIATE");
        } else {
            c.setAutoCommit(false);
        }
    }

    void commit(Connection c) throws SQLException {
        if (this == SQLITE) {
            exec(c, "COMMIT");
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    void rollback(Connection c) throws SQLException {
        if (this == SQLITE) {
            try {
                exec(c, "ROLLBACK");
            } catch (SQLException e) {
                // SQLite rolls some failed statements (a failed COMMIT, SQLITE_FULL) back on its own.
                if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                    throw e;
                }
            }
        } else {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** Current time in epoch milliseconds, as an SQL expression evaluated by the database (one clock for all nodes). */
    String nowMillis() {
        return this == SQLITE
                ? "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    /** SQLite allows one writer per file; serialising this process's writers avoids busy-waiting among them. */
    boolean serialisesWrites() {
        return this == SQLITE;
    }

    boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException s) {
            return s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return "23505".equals(e.getSQLState());
    }

    boolean isDiskFull(SQLException e) {
        if (e instanceof SQLiteException s) {
            return s.getResultCode() == SQLiteErrorCode.SQLITE_FULL;
        }
        return "53100".equals(e.getSQLState());
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
