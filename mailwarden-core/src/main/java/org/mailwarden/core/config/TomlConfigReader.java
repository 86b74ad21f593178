package org.mailwarden.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.policy.IpRange;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Turns the text of one config file into a {@link ServerConfig}, collecting every problem with its line
 * instead of stopping at the first. One instance reads one file.
 */
final class TomlConfigReader {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final String PG_URL_EXAMPLE = "jdbc:postgresql://db.example.test:5432/mailwarden";
    private static final int MAX_LIMIT = 1_000_000;
    private static final Pattern KEY_OF_LINE = Pattern.compile("\\s*([A-Za-z0-9_.-]+)\\s*=");

    /** Every known key per table ("" is the top level), with the line a user would write for it. */
    private static final Map<String, Map<String, String>> KNOWN = known();

    private final String display;
    private final Path base;
    private final Supplier<String> machineHostname;
    private final List<Problem> problems = new ArrayList<>();
    private List<String> lines = List.of();

    private record Problem(int line, String text) {
    }

    TomlConfigReader(String display, Path base, Supplier<String> machineHostname) {
        this.display = display;
        this.base = base;
        this.machineHostname = machineHostname;
    }

    private static Map<String, Map<String, String>> known() {
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        Map<String, String> top = new LinkedHashMap<>();
        top.put("hostname", "hostname = \"mx.example.test\"");
        top.put("data_dir", "data_dir = \"./data\"");
        top.put("listen", "[listen]");
        top.put("tls", "[tls]");
        top.put("storage", "[storage]");
        top.put("limits", "[limits]");
        top.put("proxy", "[proxy]");
        known.put("", top);
        Map<String, String> listen = new LinkedHashMap<>();
        for (ListenerRole role : ListenerRole.values()) {
            listen.put(role.key(), role.key() + " = [\"127.0.0.1:" + role.defaultPort() + "\"]");
        }
        known.put("listen", listen);
        known.put("tls", orderedMap("cert", "cert = \"cert.pem\"", "key", "key = \"key.pem\""));
        known.put("storage", orderedMap(
                "backend", "backend = \"sqlite\"",
                "url", "url = \"" + PG_URL_EXAMPLE + "\"",
                "user", "user = \"mailwarden\"",
                "password", "password = \"secret\""));
        known.put("limits", orderedMap(
                "max_connections", "max_connections = " + ConnectionLimits.DEFAULT.maxTotal(),
                "max_connections_per_ip", "max_connections_per_ip = " + ConnectionLimits.DEFAULT.maxPerIp(),
                "line_deadline_s", "line_deadline_s = " + ConnectionLimits.DEFAULT_LINE_DEADLINE.toSeconds()));
        known.put("proxy", orderedMap("trusted", "trusted = [\"10.0.0.0/8\"]"));
        return known;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static boolean isHostName(String name) {
        return HOST_NAME.matcher(name).matches();
    }

    ServerConfig read(String text) throws ConfigException {
        lines = text.lines().toList();
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            for (TomlParseError error : toml.errors()) {
                TomlPosition at = error.position();
                Matcher key = KEY_OF_LINE.matcher(at.line() <= lines.size() ? lines.get(at.line() - 1) : "");
                problems.add(new Problem(at.line(), display + ":" + at.line() + ": "
                        + (key.lookingAt() ? key.group(1) + ": " : "") + "invalid TOML at column " + at.column()
                        + ": " + error.getMessage()
                        + " (fix the syntax; values are written key = \"text\", key = 123 or key = [\"a\", \"b\"])"));
            }
            throw exception();
        }
        Section top = new Section(toml, "", 0);
        top.checkKeys();

        String hostname = hostname(top);
        Path dataDir = top.path("data_dir");
        if (dataDir == null) {
            dataDir = base.resolve("data");
        }
        Map<ListenerRole, List<ListenAddress>> listeners = listeners(top.table("listen"));
        TlsFiles tls = tls(top.table("tls"), dataDir);
        StorageConfig storage = storage(top.table("storage"), dataDir);
        ConnectionLimits limits = limits(top.table("limits"));
        List<IpRange> proxies = proxies(top.table("proxy"));
        if (!problems.isEmpty()) {
            throw exception();
        }
        return new ServerConfig(hostname, dataDir, listeners, tls, storage, limits, proxies);
    }

    private ConfigException exception() {
        return new ConfigException(problems.stream()
                .sorted(Comparator.comparingInt(Problem::line))
                .map(Problem::text)
                .toList());
    }

    private String hostname(Section top) {
        String hostname = top.string("hostname");
        if (hostname == null) {
            return machineHostname.get();
        }
        String lower = hostname.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        if (!isHostName(lower)) {
            top.problem("hostname", quote(hostname) + " is not a valid host name (write a fully qualified name"
                    + " of letters, digits, hyphens and dots, e.g. hostname = \"mx.example.test\")");
            return "localhost";
        }
        return lower;
    }

    private Map<ListenerRole, List<ListenAddress>> listeners(Section listen) {
        if (listen == null) {
            return ConfigLoader.defaultListeners();
        }
        Map<ListenerRole, List<ListenAddress>> listeners = new EnumMap<>(ListenerRole.class);
        Map<ListenAddress, String> usedBy = new HashMap<>();
        for (ListenerRole role : ListenerRole.values()) {
            String key = role.key();
            TomlArray array = listen.array(key);
            if (array == null) {
                continue;
            }
            List<ListenAddress> addresses = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                int line = lineOfElement(array.inputPositionOf(i));
                Object element = array.get(i);
                if (!(element instanceof String text)) {
                    listen.problemAt(line, key, "expected \"host:port\" strings, found " + describe(element)
                            + " (write " + KNOWN.get("listen").get(key) + ")");
                    continue;
                }
                ListenAddress address;
                try {
                    address = ListenAddress.parse(text);
                } catch (IllegalArgumentException e) {
                    listen.problemAt(line, key, quote(text) + " is not a valid listen address: " + e.getMessage()
                            + " (write \"host:port\", e.g. \"127.0.0.1:" + role.defaultPort() + "\")");
                    continue;
                }
                ListenAddress normalised = new ListenAddress(address.host().toLowerCase(Locale.ROOT), address.port());
                String previous = usedBy.putIfAbsent(normalised, listen.name(key));
                if (previous != null) {
                    listen.problemAt(line, key, quote(text) + " is already used by " + previous
                            + " (give each listener its own address or port)");
                    continue;
                }
                addresses.add(address);
            }
            listeners.put(role, addresses);
        }
        return listeners;
    }

    /**
     * The line an array element starts on. tomlj reports the position just after the preceding comma
     * for every element but the first, so skip blanks, commas and comments to reach the element itself.
     */
    private int lineOfElement(TomlPosition reported) {
        int line = reported.line();
        int column = reported.column() - 1;
        while (line <= lines.size()) {
            String text = lines.get(line - 1);
            while (column < text.length() && (text.charAt(column) == ' ' || text.charAt(column) == '\t'
                    || text.charAt(column) == ',')) {
                column++;
            }
            if (column < text.length() && text.charAt(column) != '#') {
                return line;
            }
            line++;
            column = 0;
        }
        return reported.line();
    }

    private TlsFiles tls(Section tls, Path dataDir) {
        TlsFiles defaults = ConfigLoader.defaultTls(dataDir);
        if (tls == null) {
            return defaults;
        }
        Path cert = tls.path("cert");
        Path key = tls.path("key");
        boolean certWritten = tls.has("cert");
        boolean keyWritten = tls.has("key");
        if (certWritten != keyWritten) {
            String missing = certWritten ? "key" : "cert";
            tls.problemAt(tls.line(), missing, "missing; the certificate and its key go together (add "
                    + KNOWN.get("tls").get(missing) + ", or remove the other one to use the defaults under data_dir)");
        }
        return new TlsFiles(cert != null ? cert : defaults.cert(), key != null ? key : defaults.key());
    }

    private StorageConfig storage(Section storage, Path dataDir) {
        if (storage == null) {
            return StorageConfig.sqlite(dataDir);
        }
        String backend = storage.string("backend");
        String url = storage.string("url");
        String user = storage.string("user");
        String password = storage.string("password");
        String name = backend == null ? "sqlite" : backend.toLowerCase(Locale.ROOT);
        switch (name) {
            case "sqlite" -> {
                for (String key : List.of("url", "user", "password")) {
                    if (storage.has(key)) {
                        storage.problem(key, "only used with backend = \"postgresql\" (remove it, or set"
                                + " backend = \"postgresql\")");
                    }
                }
                return StorageConfig.sqlite(dataDir);
            }
            case "postgresql" -> {
                if (url == null && !storage.has("url")) {
                    storage.problemAt(storage.has("backend") ? storage.lineOf("backend") : storage.line(), "url",
                            "missing; backend = \"postgresql\" needs the database's JDBC URL (add url = \""
                                    + PG_URL_EXAMPLE + "\")");
                } else if (url != null && !url.startsWith("jdbc:postgresql:")) {
                    storage.problem("url", quote(url) + " is not a PostgreSQL JDBC URL (write url = \""
                            + PG_URL_EXAMPLE + "\")");
                }
                return StorageConfig.postgresql(dataDir, url, user, password);
            }
            default -> {
                String suggestion = closest(name, List.of("sqlite", "postgresql"));
                storage.problem("backend", quote(backend) + " is not a storage backend ("
                        + (suggestion != null ? "did you mean \"" + suggestion + "\"? " : "")
                        + "write backend = \"sqlite\" or backend = \"postgresql\")");
                return StorageConfig.sqlite(dataDir);
            }
        }
    }

    private ConnectionLimits limits(Section limits) {
        ConnectionLimits defaults = ConnectionLimits.DEFAULT;
        if (limits == null) {
            return defaults;
        }
        int total = limits.count("max_connections", defaults.maxTotal());
        int perIp = limits.count("max_connections_per_ip", Math.min(defaults.maxPerIp(), total));
        if (perIp > total) {
            limits.problem("max_connections_per_ip", perIp + " is more than max_connections (" + total
                    + ") (lower it, or raise max_connections)");
            perIp = total;
        }
        int lineDeadline = limits.count("line_deadline_s", (int) defaults.lineDeadline().toSeconds());
        return new ConnectionLimits(total, perIp, Duration.ofSeconds(lineDeadline));
    }

    private List<IpRange> proxies(Section proxy) {
        if (proxy == null) {
            return List.of();
        }
        TomlArray array = proxy.array("trusted");
        if (array == null) {
            return List.of();
        }
        List<IpRange> ranges = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            int line = lineOfElement(array.inputPositionOf(i));
            Object element = array.get(i);
            if (!(element instanceof String text)) {
                proxy.problemAt(line, "trusted", "expected address strings, found " + describe(element)
                        + " (write " + KNOWN.get("proxy").get("trusted") + ")");
                continue;
            }
            try {
                ranges.add(IpRange.parse(text));
            } catch (IllegalArgumentException e) {
                proxy.problemAt(line, "trusted", e.getMessage() + " (write " + KNOWN.get("proxy").get("trusted") + ")");
            }
        }
        return ranges;
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().limit(200).forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private static String describe(Object value) {
        return switch (value) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a number with a fraction";
            case Boolean b -> "a boolean";
            case Temporal t -> "a date or time";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    /** The candidate closest to {@code word} by edit distance, when close enough to be a likely typo. */
    static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** One TOML table of the file, named by its dotted prefix, with typed getters that record problems. */
    private final class Section {
        private final TomlTable table;
        private final String name;
        private final int line;

        Section(TomlTable table, String name, int line) {
            this.table = table;
            this.name = name;
            this.line = line;
        }

        int line() {
            return line;
        }

        String name(String key) {
            return name.isEmpty() ? key : name + "." + key;
        }

        boolean has(String key) {
            return table.contains(List.of(key));
        }

        int lineOf(String key) {
            TomlPosition position = table.inputPositionOf(List.of(key));
            return position == null ? line : position.line();
        }

        void problem(String key, String message) {
            problemAt(lineOf(key), key, message);
        }

        void problemAt(int at, String key, String message) {
            problems.add(new Problem(at, display + ":" + at + ": " + name(key) + ": " + message));
        }

        /** Reports every key this table does not know, suggesting the likely intended one. */
        void checkKeys() {
            Map<String, String> known = KNOWN.get(name);
            for (String key : table.keySet()) {
                if (known.containsKey(key)) {
                    continue;
                }
                String suggestion = closest(key, known.keySet());
                String hint;
                if (suggestion != null) {
                    hint = "did you mean \"" + suggestion + "\"?";
                } else if (elsewhere(key) != null) {
                    hint = "it belongs in the [" + elsewhere(key) + "] table";
                } else {
                    hint = "known keys here: " + String.join(", ", known.keySet());
                }
                problem(key, "unknown key (" + hint + ")");
            }
        }

        private static String elsewhere(String key) {
            return KNOWN.entrySet().stream()
                    .filter(e -> !e.getKey().isEmpty() && e.getValue().containsKey(key))
                    .map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }

        private Object value(String key, Class<?> type, String expected) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return null;
            }
            if (!type.isInstance(value)) {
                problem(key, "expected " + expected + ", found " + describe(value) + " (write "
                        + KNOWN.get(name).get(key) + ")");
                return null;
            }
            return value;
        }

        String string(String key) {
            return (String) value(key, String.class, "a string");
        }

        TomlArray array(String key) {
            return (TomlArray) value(key, TomlArray.class, name.equals("listen")
                    ? "an array of \"host:port\" strings" : "an array of strings");
        }

        Section table(String key) {
            TomlTable sub = (TomlTable) value(key, TomlTable.class, "a table");
            if (sub == null) {
                return null;
            }
            Section section = new Section(sub, name(key), lineOf(key));
            section.checkKeys();
            return section;
        }

        /** A path relative to the config file's directory; null when absent or invalid. */
        Path path(String key) {
            String text = string(key);
            if (text == null) {
                return null;
            }
            if (text.isBlank()) {
                problem(key, "empty path (write " + KNOWN.get(name).get(key) + ")");
                return null;
            }
            try {
                return base.resolve(text).normalize();
            } catch (InvalidPathException e) {
                problem(key, quote(text) + " is not a valid path: " + e.getReason() + " (write "
                        + KNOWN.get(name).get(key) + ")");
                return null;
            }
        }

        int count(String key, int fallback) {
            Long value = (Long) value(key, Long.class, "an integer");
            if (value == null) {
                return fallback;
            }
            if (value < 1 || value > MAX_LIMIT) {
                problem(key, value + " is out of range: must be 1-" + MAX_LIMIT + " (write "
                        + KNOWN.get(name).get(key) + ")");
                return fallback;
            }
            return value.intValue();
        }
    }
}
