package org.mailwarden.pop3;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwarden.core.address.IpAddresses;
import org.mailwarden.core.config.SettingsReader;

/**
 * The POP3 switches and limits an administrator changes while the server runs, read from the store's
 * settings under the {@code pop3.} prefix, with safe defaults. A value that does not parse or lies outside
 * its range is ignored with a warning naming the key, so a typo never takes the service down.
 *
 * @param plaintext       {@code pop3.allow_plaintext}: where USER/PASS and the PLAIN and LOGIN mechanisms
 *                        may be used without TLS: {@code off} (the default: only after STLS or on POP3S),
 *                        {@code on} (every POP3 listener), or a comma-separated list of the local addresses
 *                        clients connect to, {@code IP} or {@code IP:port} ({@code [IPv6]:port}), such as a
 *                        LAN interface: {@code 192.168.1.10:110, [fd00::10]:110}
 * @param idleTimeout     {@code pop3.idle_timeout_s}: how long a silent client stays connected; RFC 1939 §3
 *                        requires at least 10 minutes, so smaller values are refused
 * @param maxAuthFailures {@code pop3.max_auth_failures}: failed logins on one connection before it is closed
 * @param maxErrors       {@code pop3.max_errors}: malformed or refused commands before the connection is closed
 */
public record Pop3Settings(PlaintextListeners plaintext, Duration idleTimeout, int maxAuthFailures, int maxErrors) {

    /** RFC 1939 §3: the autologout timer is at least 10 minutes. */
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public static final Pop3Settings DEFAULTS = new Pop3Settings(PlaintextListeners.NONE, MIN_IDLE_TIMEOUT, 3, 20);

    /** Reads every {@code pop3.} key, falling back to the default for absent or bad values. */
    public static Pop3Settings from(Map<String, String> values) {
        SettingsReader r = new SettingsReader(values);
        Pop3Settings d = DEFAULTS;
        return new Pop3Settings(
                r.parse("pop3.allow_plaintext", d.plaintext, PlaintextListeners::parse),
                Duration.ofSeconds(r.number("pop3.idle_timeout_s", d.idleTimeout.toSeconds(),
                        MIN_IDLE_TIMEOUT.toSeconds(), 86_400)),
                (int) r.number("pop3.max_auth_failures", d.maxAuthFailures, 1, 100),
                (int) r.number("pop3.max_errors", d.maxErrors, 1, 1000));
    }

    /** Whether a client connected to {@code local} may send a password without TLS. */
    public boolean allowsPlaintext(InetSocketAddress local) {
        return plaintext.matches(local);
    }

    /**
     * The listener addresses on which plaintext passwords are allowed: none, all, or those listed.
     *
     * @param all     every listener
     * @param entries the listed addresses; a port of 0 matches every port
     */
    public record PlaintextListeners(boolean all, List<InetSocketAddress> entries) {

        public static final PlaintextListeners NONE = new PlaintextListeners(false, List.of());

        public PlaintextListeners {
            entries = List.copyOf(entries);
        }

        boolean matches(InetSocketAddress local) {
            if (all) {
                return true;
            }
            InetAddress address = IpAddresses.unmap(local.getAddress());
            for (InetSocketAddress e : entries) {
                if (e.getAddress().equals(address) && (e.getPort() == 0 || e.getPort() == local.getPort())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Parses {@code on}, {@code off} or a list of {@code IP}, {@code IP:port} and {@code [IPv6]:port}.
         *
         * @throws IllegalArgumentException saying which entry is wrong
         */
        static PlaintextListeners parse(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes", "all" -> {
                    return new PlaintextListeners(true, List.of());
                }
                case "off", "false", "no", "none", "" -> {
                    return NONE;
                }
                default -> {
                    List<InetSocketAddress> out = new ArrayList<>();
                    for (String entry : text.split(",")) {
                        out.add(entry(entry.strip()));
                    }
                    return new PlaintextListeners(false, out);
                }
            }
        }

        private static InetSocketAddress entry(String s) {
            String host = s;
            String port = null;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                host = close < 0 ? "" : s.substring(1, close);
                String rest = close < 0 ? "" : s.substring(close + 1);
                if (!rest.isEmpty()) {
                    port = rest.startsWith(":") ? rest.substring(1) : "";
                }
            } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
                host = s.substring(0, s.indexOf(':'));
                port = s.substring(s.indexOf(':') + 1);
            }
            InetAddress ip = host.isEmpty() ? null : IpAddresses.parse(host);
            if (ip == null) {
                throw new IllegalArgumentException("'" + s + "' is not an IP address or IP:port (use on, off, or a list"
                        + " such as 192.168.1.10:110, [fd00::10]:110)");
            }
            int p = 0;
            if (port != null) {
                if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw new IllegalArgumentException("'" + s + "' has no valid port (1-65535)");
                }
                p = Integer.parseInt(port);
            }
            return new InetSocketAddress(IpAddresses.unmap(ip), p);
        }
    }
}
