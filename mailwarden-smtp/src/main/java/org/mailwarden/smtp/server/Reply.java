package org.mailwarden.smtp.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One SMTP reply: the three-digit code, the RFC 3463 enhanced status code and one or more lines of
 * text. Every reply carries an enhanced code (RFC 2034, ENHANCEDSTATUSCODES) except the two that RFC 2034
 * §3 exempts, the greeting and the answer to EHLO/HELO, whose lines are a host name and extension
 * keywords that clients parse, and the intermediate 3xx replies (354, and the SASL challenges of 334,
 * whose text is base64), which RFC 3463 gives no class for. Text that may echo client input is cleaned of control characters on
 * construction, so a reply always renders as well-formed CRLF-terminated lines.
 */
public record Reply(int code, String status, List<String> lines) {

    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    private static final int MAX_TEXT = 400;

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (code / 100 == 3 && status != null) {
            throw new IllegalArgumentException("intermediate reply " + code + " has no enhanced status");
        }
        if (status != null && (!STATUS.matcher(status).matches() || status.charAt(0) - '0' != code / 100)) {
            throw new IllegalArgumentException("enhanced status " + status + " does not fit reply code " + code);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        lines = lines.stream().map(Reply::clean).toList();
    }

    /** A one-line reply with an enhanced status code. */
    public static Reply of(int code, String status, String text) {
        return new Reply(code, Objects.requireNonNull(status, "status"), List.of(text));
    }

    /** A multi-line reply with an enhanced status code on every line. */
    public static Reply of(int code, String status, List<String> lines) {
        return new Reply(code, Objects.requireNonNull(status, "status"), lines);
    }

    /** An intermediate reply (354 or a 334 challenge), which has no enhanced code. */
    public static Reply intermediate(int code, String text) {
        if (code / 100 != 3) {
            throw new IllegalArgumentException("not an intermediate reply code: " + code);
        }
        return new Reply(code, null, List.of(text));
    }

    /** A reply without enhanced code: only for the greeting and EHLO/HELO (RFC 2034 §3). */
    public static Reply plain(int code, List<String> lines) {
        return new Reply(code, null, lines);
    }

    public boolean positive() {
        return code < 400;
    }

    /** 4xx or 5xx: the command failed. */
    public boolean failure() {
        return code >= 400;
    }

    /** The wire form: {@code 250-2.0.0 first} ... {@code 250 2.0.0 last}, each line ending in CRLF. */
    public String render() {
        StringBuilder b = new StringBuilder();
        String prefix = status == null ? "" : status + " ";
        for (int i = 0; i < lines.size(); i++) {
            b.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(prefix).append(lines.get(i)).append("\r\n");
        }
        return b.toString();
    }

    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** The reply as one log-friendly line: {@code 550 5.1.1 text}. */
    @Override
    public String toString() {
        return code + (status == null ? "" : " " + status) + " " + String.join(" / ", lines);
    }

    private static String clean(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && b.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
