package org.mailwarden.admin.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's logins: after the admin token is shown once at the login page, the browser holds a
 * random session id in a cookie, and the page holds a second random value, the CSRF token, that it sends in
 * a header with every change. Sessions live in memory only (a restart logs everyone out), end after
 * {@link #IDLE} without use or {@link #LIFETIME} after login, and are capped at {@link #MAX_SESSIONS}, the
 * oldest going first. The map is keyed by a hash of the id, so ids are compared without timing leaks.
 */
public final class ConsoleSessions {

    /** A logged-in console. */
    public record Session(String csrfToken, Instant created) {
        @Override
        public String toString() {
            return "Session[created=" + created + "]";
        }
    }

    /** What login hands out: the cookie value and the session it opens. */
    public record Login(String sessionId, Session session) {
        @Override
        public String toString() {
            return "Login[" + session + "]";
        }
    }

    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final int MAX_SESSIONS = 64;

    private record Entry(Session session, Instant lastUsed) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Entry> sessions = new HashMap<>();

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** Opens a session for a browser that has just shown the admin token. */
    public synchronized Login open() {
        Instant now = clock.instant();
        expire(now);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream()
                    .min(Map.Entry.comparingByValue((a, b) -> a.session().created().compareTo(b.session().created())))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        String id = randomToken();
        Session session = new Session(randomToken(), now);
        sessions.put(key(id), new Entry(session, now));
        return new Login(id, session);
    }

    /** The live session for a cookie value, which also counts as a use. */
    public synchronized Optional<Session> find(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        expire(now);
        String key = key(sessionId);
        Entry entry = sessions.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        sessions.put(key, new Entry(entry.session(), now));
        return Optional.of(entry.session());
    }

    /** Ends a session (logout); unknown ids are ignored. */
    public synchronized void close(String sessionId) {
        if (sessionId != null) {
            sessions.remove(key(sessionId));
        }
    }

    /** Whether a header value is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(
                session.csrfToken().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private void expire(Instant now) {
        sessions.values().removeIf(e -> e.lastUsed().plus(IDLE).isBefore(now)
                || e.session().created().plus(LIFETIME).isBefore(now));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String key(String sessionId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sessionId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
