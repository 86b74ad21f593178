package org.mailwarden.store.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic messages (one per seed) that exercise every corner of the MIME scanner: folded, duplicated,
 * nameless and 8-bit header fields, address lists with groups, routes, comments and quotes, every kind of
 * Content-Type (valid, defaulted, garbage, boundary quoted, empty, too long, reused by a nested part),
 * delimiter lines with trailing white space or junk, missing close delimiters, bodies with lines longer
 * than the scanner keeps, CRLF, bare LF and bare CR, no blank line after a header, no final line break,
 * and encapsulated messages. The same seed always gives the same bytes, so a recorded structure of each
 * is a regression oracle.
 */
final class HostileMimeGenerator {

    private static final String[] ADDRESSES = {
        "alice@example.test", "\"Doe, Jane\" <jane@example.test>", "Bob <bob@example.test> (work)",
        "Team: carol@example.test, \"dave x\" <dave@example.test>;", "<@route.test,@b.test:eve@example.test>",
        "undisclosed-recipients:;", "<>", "nodomain", "\"quoted\\\"local\"@example.test", "=?utf-8?q?Bj=C3=B6rn?= <b@x.test>",
        "a@b, , c@d", "(comment only)", "broken <unterminated@x", "x@", "Gr: a@b.test; c@d.test", "\"unterminated",
    };
    private static final String[] TYPES = {
        "text/plain", "text/plain; charset=utf-8", "TEXT/HTML; charset=\"iso-8859-1\"", "application/octet-stream; name=\"a.bin\"",
        "text", "/plain", "text/", "a b/c", "image/png; name*0*=utf-8''a%20b; name*1=.png", "text/plain (comment); format=flowed",
        "message/rfc822", "message/global", "Message/RFC822", "message/partial; id=1", "multipart/mixed", "multipart/x; boundary=",
        "application/x-\u00e9; a=b", "text/plain; charset=us-ascii; ; =x; y", "video/mp4;name=\"unterminated",
    };
    private static final String[] ENCODINGS = {"7bit", "8BIT", "binary", "base64", "quoted-printable", "x-unknown", ""};
    private static final String[] SUBTYPES = {"mixed", "alternative", "digest", "related", "DIGEST", "signed"};

    private final SplittableRandom random;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final String eol;
    private int boundaries;

    private HostileMimeGenerator(long seed) {
        random = new SplittableRandom(seed);
        eol = random.nextInt(10) < 7 ? "\r\n" : "\n";
    }

    /** The message of {@code seed}. */
    static byte[] message(long seed) {
        HostileMimeGenerator g = new HostileMimeGenerator(seed);
        g.entity(g.random.nextInt(1, 6), List.of(), true, false);
        if (g.random.nextInt(5) == 0) {
            g.text("trailing junk without line end");
        }
        return g.out.toByteArray();
    }

    private void entity(int depth, List<String> enclosing, boolean isMessage, boolean digestChild) {
        if (isMessage) {
            messageHeader();
        }
        String kind = pick(depth > 0 ? new String[] {"leaf", "leaf", "multi", "multi", "rfc822"} : new String[] {"leaf"});
        if (digestChild && random.nextBoolean()) {
            kind = "implicit-rfc822";
        }
        String boundary = null;
        switch (kind) {
            case "multi" -> {
                boundary = random.nextInt(8) == 0 && !enclosing.isEmpty() ? enclosing.getLast() : newBoundary();
                String q = random.nextBoolean() ? "\"" + boundary + "\"" : boundary;
                field("Content-Type", "multipart/" + pick(SUBTYPES) + ";" + fold() + "boundary=" + q);
            }
            case "rfc822" -> field("Content-Type", random.nextBoolean() ? "message/rfc822" : "message/global");
            case "implicit-rfc822" -> {
            }
            default -> {
                if (random.nextInt(4) != 0) {
                    field("Content-Type", pick(TYPES));
                }
            }
        }
        partHeader();
        if (random.nextInt(25) != 0) {
            text(eol);
        }
        switch (kind) {
            case "multi" -> multipart(depth, enclosing, boundary);
            case "rfc822", "implicit-rfc822" -> entity(depth - 1, enclosing, true, false);
            default -> body(enclosing);
        }
    }

    private void multipart(int depth, List<String> enclosing, String boundary) {
        List<String> inner = new ArrayList<>(enclosing);
        inner.add(boundary);
        if (random.nextBoolean()) {
            text("This is a multi-part message." + eol);
        }
        int parts = random.nextInt(5);
        for (int i = 0; i < parts; i++) {
            delimiter(boundary, false);
            entity(depth - 1, inner, false, random.nextInt(3) == 0);
            if (random.nextInt(6) != 0) {
                text(eol);
            }
        }
        if (random.nextInt(5) != 0) {
            delimiter(boundary, true);
            if (random.nextBoolean()) {
                text("epilogue" + eol);
            }
        }
    }

    private void delimiter(String boundary, boolean close) {
        text("--" + boundary + (close ? "--" : ""));
        switch (random.nextInt(8)) {
            case 0 -> text(" \t ");
            case 1 -> text(" junk");
            case 2 -> text(random.nextBoolean() ? "-" : "--x");
            default -> {
            }
        }
        text(random.nextInt(15) == 0 ? "\r" : eol);
    }

    private String newBoundary() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "b".repeat(201);
            case 2 -> "with space " + boundaries++;
            case 3 -> "=_" + boundaries++ + "--";
            default -> "bound" + boundaries++ + "x";
        };
    }

    private void messageHeader() {
        String[] names = {"From", "To", "Cc", "Bcc", "Sender", "Reply-To", "FROM", "to"};
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            field(pick(names), pick(ADDRESSES) + (random.nextBoolean() ? "," + fold() + pick(ADDRESSES) : ""));
        }
        if (random.nextBoolean()) {
            field("Subject", pick(new String[] {"=?utf-8?q?caf=C3=A9?= report", "caf\u00e9", "plain", "", "  spaced  "}));
        }
        if (random.nextBoolean()) {
            out.writeBytes("Subject: latin \u00e9 raw".getBytes(ISO_8859_1));
            text(eol);
        }
        if (random.nextBoolean()) {
            field("Date", "Mon, 6 May 2024 07:08:09 +0000");
        }
        if (random.nextBoolean()) {
            field(random.nextBoolean() ? "Message-ID" : "message-id", "<" + random.nextInt(1000) + "@example.test>");
        }
        if (random.nextInt(4) == 0) {
            field("In-Reply-To", "<earlier@example.test>");
        }
        if (random.nextInt(3) == 0) {
            field("MIME-Version", "1.0");
        }
    }

    private void partHeader() {
        String[][] extras = {
            {"Content-Transfer-Encoding", pick(ENCODINGS)},
            {"Content-ID", "<part" + random.nextInt(100) + "@example.test>"},
            {"Content-Description", "a  description"},
            {"Content-MD5", "Q2hlY2sgSW50ZWdyaXR5IQ=="},
            {"Content-Disposition", pick(new String[] {"attachment; filename=\"a b.pdf\"", "inline", "", ";x=y", "ATTACHMENT;" + eol + " filename=x"})},
            {"Content-Language", pick(new String[] {"en, de", "en", ",,", " fr ,"})},
            {"Content-Location", "http://example.test/a"},
            {"X-Custom", "value"},
            {"Content-Type", pick(TYPES)},
        };
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String[] f = extras[random.nextInt(extras.length)];
            field(f[0], f[1]);
        }
        switch (random.nextInt(30)) {
            case 0 -> text("no colon here" + eol);
            case 1 -> text(": empty name" + eol);
            case 2 -> text("Bad Name: x" + eol);
            case 3 -> text(" continuation first" + eol);
            case 4 -> text("Long: " + "x".repeat(5000) + eol);
            default -> {
            }
        }
    }

    private void body(List<String> enclosing) {
        int lines = random.nextInt(12);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(20)) {
                case 0 -> text("");
                case 1 -> text("-- almost a delimiter");
                case 2 -> text(enclosing.isEmpty() ? "--" : "--" + enclosing.getLast() + "x");
                case 3 -> text("y".repeat(random.nextInt(4000, 9000)));
                case 4 -> text("--" + "z".repeat(4100));
                case 5 -> text("bare\rcr");
                case 6 -> out.writeBytes(new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0});
                default -> text("line " + i + " of the body text with some words");
            }
            text(random.nextInt(20) == 0 ? "\n" : eol);
        }
    }

    private void field(String name, String value) {
        text(name + ":" + (random.nextInt(6) == 0 ? "" : " ") + value + eol);
    }

    private String fold() {
        return switch (random.nextInt(4)) {
            case 0 -> eol + " ";
            case 1 -> eol + "\t";
            default -> " ";
        };
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private void text(String s) {
        out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
