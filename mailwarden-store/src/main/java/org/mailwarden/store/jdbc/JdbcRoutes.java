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

    @Override
    public void put(String domain, HostPort target) {
        String dom = Names.domain(domain);
        check(target);
        db.adminWrite(c -> Sql.update(c, "INSERT INTO route (domain, host, port) VALUES (?, ?, ?) "
                        + "ON CONFLICT (domain) DO UPDATE SET host = excluded.host, port = excluded.port",
                dom, target.host(), target.port()));
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
        return db.read(c -> Sql.one(c, "SELECT domain, host, port FROM route WHERE domain = ?", JdbcRoutes::row, dom));
    }

    @Override
    public List<Route> list() {
        return db.read(c -> Sql.list(c, "SELECT domain, host, port FROM route ORDER BY domain", JdbcRoutes::row));
    }

    @Override
    public Optional<HostPort> smarthost() {
        return db.read(c -> Sql.one(c, "SELECT host, port FROM smarthost WHERE id = 1",
                rs -> new HostPort(rs.getString(1), rs.getInt(2))));
    }

    @Override
    public void setSmarthost(HostPort target) {
        if (target == null) {
            db.adminWrite(c -> Sql.update(c, "DELETE FROM smarthost"));
            return;
        }
        check(target);
        db.adminWrite(c -> Sql.update(c, "INSERT INTO smarthost (id, host, port) VALUES (1, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port", target.host(), target.port()));
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
        return new Route(rs.getString(1), new HostPort(rs.getString(2), rs.getInt(3)));
    }
}
