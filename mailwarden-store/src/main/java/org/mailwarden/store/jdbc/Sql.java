package org.mailwarden.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers that keep the JDBC boilerplate (statements, binding, result sets) out of the store classes. */
final class Sql {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Longest IN (...) list we build; far below SQLite's and PostgreSQL's parameter limits. */
    static final int IN_CHUNK = 500;

    private Sql() {
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
            }
        }
    }

    static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> Boolean.TRUE, params).isPresent();
    }

    /** Runs a statement that returns exactly one number (INSERT ... RETURNING id, UPDATE ... RETURNING). */
    static long number(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> rs.getLong(1), params)
                .orElseThrow(() -> new SQLException("no row returned by: " + sql));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** "?, ?, ?" for an IN list of {@code n} parameters. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int at = i + 1;
            switch (p) {
                case null -> ps.setNull(at, Types.VARCHAR);
                case String s -> ps.setString(at, s);
                case Long l -> ps.setLong(at, l);
                case Integer n -> ps.setInt(at, n);
                case Boolean b -> ps.setBoolean(at, b);
                case byte[] bytes -> ps.setBytes(at, bytes);
                default -> throw new IllegalArgumentException("cannot bind " + p.getClass());
            }
        }
    }
}
