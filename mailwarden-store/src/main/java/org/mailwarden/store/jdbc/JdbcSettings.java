package org.mailwarden.store.jdbc;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mailwarden.store.Settings;

/** {@link Settings} on the {@code setting} table: absent rows mean "use the default". */
final class JdbcSettings implements Settings {

    private final Database db;

    JdbcSettings(Database db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) {
        return db.read(c -> Sql.one(c, "SELECT value FROM setting WHERE name = ?", rs -> rs.getString(1), key));
    }

    @Override
    public void set(String key, String value) {
        String name = Names.settingKey(key);
        if (value == null) {
            db.adminWrite(c -> Sql.update(c, "DELETE FROM setting WHERE name = ?", name));
        } else {
            db.adminWrite(c -> Sql.update(c, "INSERT INTO setting (name, value) VALUES (?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value));
        }
    }

    @Override
    public Map<String, String> all() {
        Map<String, String> out = new TreeMap<>();
        db.read(c -> Sql.list(c, "SELECT name, value FROM setting", rs -> out.put(rs.getString(1), rs.getString(2))));
        return out;
    }
}
