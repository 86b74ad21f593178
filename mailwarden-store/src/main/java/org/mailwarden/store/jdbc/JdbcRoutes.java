package org.mailwarden.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.mailwarden.store.Routes;

/** {@link Routes} on {@code route} (one row per destination domain) and {@code smarthost} (at most one row). */
final class JdbcRoutes implements Routes {

    private final Database db;

    JdbcRoutes(Database db) {
        this.db = db;
    }

    private static final String OPTIONS = "require_verified_tls, auth_user, auth_password";

    @Override
    public void put(String domain, HostPort target, RouteOptions options) {
        String dom = Names.domain(domain);
        check(target);
        RouteOptions o = options == null ? RouteOptions.NONE : options;
        db.adminWrite(c -> Sql.update(c, "INSERT INTO route (domain, host, port, " + OPTIONS + ") VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (domain) DO UPDATE SET host = excluded.host, port = excluded.port, "
                        + "require_verified_tls = excluded.require_verified_tls, auth_user = excluded.auth_user, "
                        + "auth_password = excluded.auth_password",
                dom, target.host(), target.port(), o.requireVerifiedTls(), o.authUser(), o.authPassword()));
    }

    @Override
    public void remove(String domain) {
        String dom = Names.domain(domain);
        db.adminWrite(c -> {
            if (Sql.update(c, "DELETE FROM route WHERE domain = ?", dom) == 0) {
                throw Names.notFound("there is no route for " + dom);
            }
            return null;
        });
    }

    @Override
    public Optional<Route> find(String domain) {
        String dom = Names.domain(domain);
        return db.read(c -> Sql.one(c, "SELECT domain, host, port, " + OPTIONS + " FROM route WHERE domain = ?",
                JdbcRoutes::row, dom));
    }

    @Override
    public List<Route> list() {
        return db.read(c -> Sql.list(c, "SELECT domain, host, port, " + OPTIONS + " FROM route ORDER BY domain",
                JdbcRoutes::row));
    }

    @Override
    public Optional<HostPort> smarthost() {
        return db.read(c -> Sql.one(c, "SELECT host, port FROM smarthost WHERE id = 1",
                rs -> new HostPort(rs.getString(1), rs.getInt(2))));
    }

    @Override
    public Optional<RouteOptions> smarthostOptions() {
        return db.read(c -> Sql.one(c, "SELECT " + OPTIONS + " FROM smarthost WHERE id = 1", rs -> options(rs, 1)));
    }

    @Override
    public void setSmarthost(HostPort target, RouteOptions options) {
        if (target == null) {
            db.adminWrite(c -> Sql.update(c, "DELETE FROM smarthost"));
            return;
        }
        check(target);
        RouteOptions o = options == null ? RouteOptions.NONE : options;
        db.adminWrite(c -> Sql.update(c, "INSERT INTO smarthost (id, host, port, " + OPTIONS + ") VALUES (1, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, "
                        + "require_verified_tls = excluded.require_verified_tls, auth_user = excluded.auth_user, "
                        + "auth_password = excluded.auth_password",
                target.host(), target.port(), o.requireVerifiedTls(), o.authUser(), o.authPassword()));
    }

    private static void check(HostPort target) {
        if (target == null || target.host() == null || target.host().isBlank() || target.host().length() > 255
                || target.host().chars().anyMatch(ch -> ch <= 0x20 || ch == 0x7f)) {
            throw Names.invalid("a route needs a host name or IP address");
        }
        if (target.port() < 1 || target.port() > 65535) {
            throw Names.invalid("port " + target.port() + " is out of range; use 1 to 65535");
        }
    }

    private static Route row(ResultSet rs) throws SQLException {
        return new Route(rs.getString(1), new HostPort(rs.getString(2), rs.getInt(3)), options(rs, 4));
    }

    private static RouteOptions options(ResultSet rs, int first) throws SQLException {
        return new RouteOptions(rs.getBoolean(first), rs.getString(first + 1), rs.getString(first + 2));
    }
}
