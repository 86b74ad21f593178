package org.mailwarden.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayRules;
import org.mailwarden.store.RelayRuleStore;

/**
 * {@link RelayRuleStore} on {@code relay_config} (the flag and the mode, one row) and {@code relay_range}
 * (the three address lists, ranges in their canonical text form, kept in the order they were added).
 */
final class JdbcRelayRules implements RelayRuleStore {

    private final Database db;

    JdbcRelayRules(Database db) {
        this.db = db;
    }

    @Override
    public RelayRules current() {
        return db.read(c -> {
            record Config(boolean auth, String mode) {
            }
            Config config = Sql.one(c, "SELECT auth_may_relay, mode FROM relay_config WHERE id = 1",
                    rs -> new Config(rs.getBoolean(1), rs.getString(2))).orElseThrow();
            Map<RelayRules.ListKind, List<IpRange>> lists = new EnumMap<>(RelayRules.ListKind.class);
            for (RelayRules.ListKind kind : RelayRules.ListKind.values()) {
                lists.put(kind, new ArrayList<>());
            }
            Sql.list(c, "SELECT list_kind, ip_range FROM relay_range ORDER BY id", rs -> {
                lists.get(RelayRules.ListKind.parse(rs.getString(1))).add(IpRange.parse(rs.getString(2)));
                return null;
            });
            return new RelayRules(config.auth(), lists.get(RelayRules.ListKind.ALLOW),
                    lists.get(RelayRules.ListKind.LISTENER), lists.get(RelayRules.ListKind.DENY),
                    RelayMode.parse(config.mode()));
        });
    }

    @Override
    public void setAuthenticatedMayRelay(boolean on) {
        db.adminWrite(c -> Sql.update(c, "UPDATE relay_config SET auth_may_relay = ? WHERE id = 1", on));
    }

    @Override
    public void setMode(RelayMode mode) {
        db.adminWrite(c -> Sql.update(c, "UPDATE relay_config SET mode = ? WHERE id = 1", mode.word()));
    }

    @Override
    public void add(RelayRules.ListKind list, IpRange range) {
        db.adminWrite(c -> {
            if (rowOf(c, list, range).isPresent()) {
                throw Names.duplicate(range + " is already in the " + list.word() + " list");
            }
            return Sql.update(c, "INSERT INTO relay_range (list_kind, ip_range) VALUES (?, ?)", list.word(), range.toString());
        });
    }

    @Override
    public void remove(RelayRules.ListKind list, IpRange range) {
        db.adminWrite(c -> Sql.update(c, "DELETE FROM relay_range WHERE id = ?", rowOf(c, list, range)
                .orElseThrow(() -> Names.notFound(range + " is not in the " + list.word() + " list"))));
    }

    /**
     * The row holding {@code range} in a list. Ranges are compared parsed, not as text, so a row written
     * with an older canonical spelling (say, an uncompressed IPv6 address) is still found.
     */
    private static Optional<Long> rowOf(Connection c, RelayRules.ListKind list, IpRange range) throws SQLException {
        record Row(long id, String range) {
        }
        return Sql.list(c, "SELECT id, ip_range FROM relay_range WHERE list_kind = ?",
                        rs -> new Row(rs.getLong(1), rs.getString(2)), list.word()).stream()
                .filter(r -> IpRange.parse(r.range()).equals(range))
                .map(Row::id)
                .findFirst();
    }
}
