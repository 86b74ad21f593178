package org.mailwarden.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reference pair as {@code bench/reference/setup.sh} runs it: Postfix for SMTP, Dovecot for IMAP and
 * POP3, on the same Maildirs. Everything is read from the {@code reference.env} file the script writes.
 */
public final class ReferenceTarget implements Target {

    private final Map<String, String> env;
    private final Path mailDir;

    private ReferenceTarget(Map<String, String> env) {
        this.env = env;
        this.mailDir = Path.of(get("MAIL_DIR"));
    }

    /** Reads {@code reference.env}; fails with a hint when the reference servers were never configured. */
    public static ReferenceTarget load(Path envFile) {
        if (!Files.isRegularFile(envFile)) {
            throw new IllegalStateException(envFile + " does not exist: run bench/reference/setup.sh first");
        }
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(envFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReferenceTarget(env);
    }

    private String get(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException("reference.env has no " + key + ": rerun bench/reference/setup.sh configure");
        }
        return v;
    }

    public String postfixVersion() {
        return env.getOrDefault("POSTFIX_VERSION", "unknown");
    }

    public String dovecotVersion() {
        return env.getOrDefault("DOVECOT_VERSION", "unknown");
    }

    /** Where smtp-sink, the protocol ceiling, listens while a ceiling run lasts. */
    public Endpoint sink() {
        return new Endpoint("127.0.0.1", Integer.parseInt(get("SINK_PORT")));
    }

    @Override
    public String name(Service service) {
        return service == Service.SMTP ? "Postfix " + postfixVersion() : "Dovecot " + dovecotVersion();
    }

    @Override
    public Endpoint endpoint(Service service) {
        return new Endpoint("127.0.0.1", Integer.parseInt(get(switch (service) {
            case SMTP -> "SMTP_PORT";
            case IMAP -> "IMAP_PORT";
            case POP3 -> "POP3_PORT";
        })));
    }

    @Override
    public Endpoint implicitTls(Service service) {
        return new Endpoint("127.0.0.1", Integer.parseInt(get(switch (service) {
            case SMTP -> throw new IllegalArgumentException("the reference Postfix has no implicit-TLS SMTP listener");
            case IMAP -> "IMAPS_PORT";
            case POP3 -> "POP3S_PORT";
        })));
    }

    @Override
    public Optional<String> unavailable(Service service) {
        return ServiceProbe.unavailable(service, endpoint(service)).map(reason -> name(service) + " " + reason
                + "; start it with bench/reference/setup.sh start");
    }

    @Override
    public String address(String user) {
        return user + "@" + get("DOMAIN");
    }

    @Override
    public String password() {
        return get("PASSWORD");
    }

    /** Files in the user's Maildir new/ and cur/: the messages Postfix's virtual(8) delivered. */
    @Override
    public int inboxCount(String user) {
        Path maildir = mailDir.resolve(get("DOMAIN")).resolve(user).resolve("Maildir");
        return count(maildir.resolve("new")) + count(maildir.resolve("cur"));
    }

    private static int count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public long pid(Service service) {
        Path pidFile = Path.of(get(service == Service.SMTP ? "POSTFIX_MASTER_PID_FILE" : "DOVECOT_MASTER_PID_FILE"));
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + pidFile + ": is the reference server running?", e);
        }
    }
}
